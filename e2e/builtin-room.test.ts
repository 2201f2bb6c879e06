import type { BuiltinRoom } from '@agenthuman/rooms';
import { startRoomServer, startTestSource, testPatternGeometry } from '@agenthuman/rooms/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import { inboundSnapshot, sampleRegionLuma, waitForRoomState } from './support/page-probes.js';

// The built-in room played by real headless chromium over real WebRTC, ICE pinned to 127.0.0.1 on both ends.
const WIDTH = 640;
const HEIGHT = 480;
const geometry = testPatternGeometry(WIDTH, HEIGHT);

describe('built-in room in a real browser', () => {
  let server: Awaited<ReturnType<typeof startRoomServer>>;
  let browser: Browser;
  let room: BuiltinRoom;
  let stopSource: () => void;

  beforeAll(async () => {
    server = await startRoomServer();
    room = server.hub.create('e2e');
    stopSource = startTestSource(room, { width: WIDTH, height: HEIGHT });
    browser = await launchChromium();
  });

  afterAll(async () => {
    stopSource?.();
    await browser?.close();
    await server?.close();
  });

  const pageUrl = (name: string, token = `token-for-${name}`) =>
    `${server.baseUrl}/rooms/${name}?token=${token}`;

  it('plays 640×480 video at about 25 fps with sound, and the mouth region moves while the rest holds still', async () => {
    const page = await browser.newPage();
    const joined = new Promise((resolve) => room.once('viewer-joined', resolve));
    await page.goto(pageUrl('e2e'));
    await waitForRoomState(page, 'connected');
    await joined;
    await page.waitForFunction(
      () =>
        (window as never as { agenthumanRoom: { firstFrameMs: number | null } }).agenthumanRoom
          .firstFrameMs !== null,
    );
    const firstFrameMs = await page.evaluate(
      () => (window as never as { agenthumanRoom: { firstFrameMs: number } }).agenthumanRoom.firstFrameMs,
    );
    console.log(`[e2e room] page load → first decoded frame: ${Math.round(firstFrameMs)} ms`);
    expect(firstFrameMs).toBeLessThan(5_000);

    // Autoplay rules: the page starts muted and offers a button; the (muted) element's audio level reads 0.
    expect(await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).muted)).toBe(
      true,
    );
    await page.click('#unmute');
    await page.waitForFunction(() => !(document.getElementById('video') as HTMLVideoElement).muted);
    // The button hides once play() resolves, a moment after `muted` flips.
    await page.waitForSelector('#unmute', { state: 'hidden', timeout: 5_000 });

    await page.waitForTimeout(1_000);
    const before = await inboundSnapshot(page);
    const levels: number[] = [];
    for (let i = 0; i < 15; i++) {
      await page.waitForTimeout(200);
      levels.push((await inboundSnapshot(page)).audioLevel);
    }
    const after = await inboundSnapshot(page);
    const fps = ((after.framesDecoded - before.framesDecoded) * 1000) / (after.atMs - before.atMs);
    console.log(
      `[e2e room] decoded ${fps.toFixed(1)} fps, ${after.frameWidth}×${after.frameHeight}, ${after.videoCodec}, audio levels ${levels.map((l) => l.toFixed(2)).join(' ')}`,
    );
    expect(fps).toBeGreaterThan(21);
    expect(fps).toBeLessThan(28);
    expect([after.frameWidth, after.frameHeight]).toEqual([WIDTH, HEIGHT]);
    expect(after.videoCodec).toBe('video/VP8');
    // Tone bursts (400 ms on, 400 ms off): energy grows and some samples are loud, some silent.
    expect(after.totalAudioEnergy).toBeGreaterThan(before.totalAudioEnergy);
    expect(Math.max(...levels)).toBeGreaterThan(0.1);
    expect(Math.min(...levels)).toBeLessThan(0.05);
    expect(after.remoteAddresses.length).toBeGreaterThan(0);
    expect(new Set(after.remoteAddresses)).toEqual(new Set(['127.0.0.1']));

    const mouth = await sampleRegionLuma(page, geometry.mouth, 12, 90);
    const still = await sampleRegionLuma(page, geometry.still, 6, 90);
    console.log(
      `[e2e room] mouth luma ${mouth.map((v) => v.toFixed(0)).join(' ')}; still ${still.map((v) => v.toFixed(0)).join(' ')}`,
    );
    expect(Math.max(...mouth) - Math.min(...mouth)).toBeGreaterThan(60);
    expect(Math.max(...still) - Math.min(...still)).toBeLessThan(10);
    expect(Math.min(...still)).toBeGreaterThan(200);
    await page.close();
  });

  it('serves two browser viewers at once, both decoding', async () => {
    const pages = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all(pages.map((page) => page.goto(pageUrl('e2e'))));
    await Promise.all(pages.map((page) => waitForRoomState(page, 'connected')));
    // The page reports "connected" from its side; the server counts the viewer when its own peer connects.
    await expect.poll(() => room.viewerCount, { timeout: 5_000 }).toBe(2);
    // Measure after the start-up ramp (key frame, bandwidth estimate), as for one viewer.
    await Promise.all(
      pages.map((page) =>
        page.waitForFunction(
          () =>
            (window as never as { agenthumanRoom: { firstFrameMs: number | null } }).agenthumanRoom
              .firstFrameMs !== null,
        ),
      ),
    );
    await pages[0]!.waitForTimeout(1_000);
    const before = await Promise.all(pages.map(inboundSnapshot));
    await pages[0]!.waitForTimeout(2_000);
    const after = await Promise.all(pages.map(inboundSnapshot));
    for (let i = 0; i < 2; i++) {
      const fps =
        ((after[i]!.framesDecoded - before[i]!.framesDecoded) * 1000) / (after[i]!.atMs - before[i]!.atMs);
      expect(fps).toBeGreaterThan(20);
    }
    await Promise.all(pages.map((page) => page.close()));
    // pagehide sends DELETE; both leave promptly rather than after the ICE timeout.
    await expect.poll(() => room.viewerCount, { timeout: 5_000 }).toBe(0);
  });

  it('re-offers after the connection drops and plays again; shows the end when the room is gone', async () => {
    const page = await browser.newPage();
    const firstJoin = new Promise<{ viewerId: string }>((resolve) => room.once('viewer-joined', resolve));
    await page.goto(pageUrl('e2e'));
    await waitForRoomState(page, 'connected');
    const { viewerId } = await firstJoin;
    // The server side of the connection disappears (a blip or a restarted peer): ICE stops answering.
    const rejoin = new Promise<{ viewerId: string }>((resolve) => room.once('viewer-joined', resolve));
    const droppedAt = Date.now();
    room.removeViewer(viewerId);
    await page.waitForFunction(
      () => (window as never as { agenthumanRoom: { reconnects: number } }).agenthumanRoom.reconnects > 0,
      null,
      { timeout: 15_000 },
    );
    const again = await rejoin;
    console.log(`[e2e room] dropped → rejoined in ${Date.now() - droppedAt} ms`);
    expect(again.viewerId).not.toBe(viewerId);
    await waitForRoomState(page, 'connected');
    const before = await inboundSnapshot(page);
    await page.waitForTimeout(1_000);
    expect((await inboundSnapshot(page)).framesDecoded).toBeGreaterThan(before.framesDecoded + 15);

    // The session ends: the room closes; the page asks the room every second whether it is still live and
    // says so at once, instead of waiting ~10 s for the silent peer to time out.
    stopSource();
    const closedAt = Date.now();
    room.close();
    await waitForRoomState(page, 'ended', 20_000);
    const noticedMs = Date.now() - closedAt;
    console.log(`[e2e room] room closed → page shows ended in ${noticedMs} ms`);
    expect(noticedMs).toBeLessThan(2_500);
    expect(await page.textContent('#state')).toBe('This session has ended.');
    expect(await page.locator('#unmute').isVisible()).toBe(false);
    await page.close();
  }, 60_000);

  it('refuses a viewer with a wrong token and says so on the page', async () => {
    const other = server.hub.create('guarded');
    const page = await browser.newPage();
    await page.goto(pageUrl('guarded', 'wrong-token'));
    await waitForRoomState(page, 'denied');
    expect(await page.textContent('#state')).toContain('Not allowed');
    expect(await page.locator('#unmute').isVisible()).toBe(false);
    expect(other.viewerCount).toBe(0);
    await page.close();
  });
});
