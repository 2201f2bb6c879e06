// AGENTHUMAN_ROOMS=livekit in real headless chromium: a session's platform room is a room on a real LiveKit
// server, and the room page (/watch) plays it with livekit-client using the subscribe-only viewer token.
// The avatar's media side is another package; until it joins LiveKit rooms, a stand-in publisher joins with
// the avatar's stored token (named so below) and sends a test pattern.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import { ensureWebBuilt } from '@agenthuman/web';
import {
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'agenthuman.js');

describe('LiveKit platform rooms in a real browser', () => {
  let livekit: TestLiveKitServer;
  let server: ListeningServer;
  let browser: Browser;
  let key: string;
  const standIns: Room[] = [];

  beforeAll(async () => {
    const web = await ensureWebBuilt();
    livekit = await startLiveKitServer();
    server = await startListeningServer({
      env: { ...livekit.env, AGENTHUMAN_ROOMS: 'livekit' },
      server: { webRoot: web.distDir },
    });
    key = (await server.newAccount('enterprise')).key;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(standIns.map((room) => room.disconnect()));
    await browser?.close();
    await server?.close();
    await livekit?.stop();
  });

  it('the room page joins as a subscribe-only viewer and plays the avatar participant’s video', async () => {
    const client = new AgentHuman({ baseUrl: server.url, apiKey: key });
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    const room = session.room;
    if (!room || !('platform' in room) || room.platform !== 'livekit') throw new Error('not a LiveKit room');

    const page = await browser.newPage();
    const href = `${server.url}/watch#${new URLSearchParams({ url: room.url, token: room.token })}`;
    await page.goto(href);
    const stage = page.getByTestId('livekit-stage');
    await expect.poll(() => stage.getAttribute('data-phase'), { timeout: 15_000 }).toBe('waiting');

    const service = new RoomServiceClient(
      livekit.url.replace('ws', 'http'),
      livekit.apiKey,
      livekit.apiSecret,
    );
    const [viewer] = await service.listParticipants(room.name);
    expect(viewer?.permission).toMatchObject({
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
    });

    // Stand-in for the avatar worker: joins with the avatar's token from the session's room record.
    const stored = (await server.server.deps.store.sessions.findById(session.session_id))?.room;
    if (stored?.kind !== 'livekit') throw new Error('no LiveKit room record');
    const standIn = new Room();
    standIns.push(standIn);
    await standIn.connect(stored.url, stored.avatar.token, { autoSubscribe: false, dynacast: false });
    const source = new VideoSource(320, 240);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_CAMERA;
    await standIn.localParticipant?.publishTrack(LocalVideoTrack.createVideoTrack('camera', source), options);
    const pixels = new Uint8Array(320 * 240 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 251));
    const frame = new VideoFrame(pixels, 320, 240, VideoBufferType.RGBA);
    const pump = setInterval(() => source.captureFrame(frame), 40);
    try {
      await expect.poll(() => stage.getAttribute('data-phase'), { timeout: 15_000 }).toBe('playing');
      await expect
        .poll(() => page.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), {
          timeout: 15_000,
        })
        .toBe(320);
    } finally {
      clearInterval(pump);
      await page.close();
    }
    await client.sessions.end(session.session_id);
  });

  it('`agenthuman sessions get` prints the LiveKit room page link, and that link plays in a browser', async () => {
    const client = new AgentHuman({ baseUrl: server.url, apiKey: key });
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/ada' });
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    const { stdout } = await run(process.execPath, [CLI, 'sessions', 'get', session.session_id], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        NO_COLOR: '1',
        AGENTHUMAN_API_URL: server.url,
        AGENTHUMAN_API_KEY: key,
      },
    });
    const link = /room\s+(\S+)/.exec(stdout)?.[1];
    expect(link?.startsWith(`${server.url}/watch#url=`)).toBe(true);
    const page = await browser.newPage();
    await page.goto(link as string);
    await expect
      .poll(() => page.getByTestId('livekit-stage').getAttribute('data-phase'), { timeout: 15_000 })
      .toBe('waiting');
    await page.close();
    await client.sessions.end(session.session_id);
  });

  it('the room page says what is missing when the link has no token', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/watch#url=${encodeURIComponent(livekit.url)}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('needs the room');
    await page.close();
  });
});
