import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FliteTTS, findPublicAvatar } from '@agenthuman/engine';
import { writeWav } from '@agenthuman/media';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import { inboundSnapshot, sampleRegionLuma, waitForRoomState } from './support/page-probes.js';
import { E2E_KEY, startRealServer } from './support/real-server.js';

// An agent link, end to end: `agenthuman serve`, the public page /s/{link_id} in headless chromium, the room
// embedded in it over real WebRTC (loopback). The greeting is heard and seen, a typed question is answered
// aloud and shows in the page's transcript, and a question spoken into chromium's fake microphone (a Flite
// WAV) goes up through the room, is recognised by pocketsphinx and answered from the agent's knowledge.
const KNOWLEDGE = `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays and on public holidays.

# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.`;

const QUESTION = 'How much does a standard service cost?';
/** The fake microphone loops its file: the question, then a long silence, so it is asked once per test. */
const LEAD_SILENCE_S = 3;
const TAIL_SILENCE_S = 90;

describe('an agent link page in a real browser', () => {
  let server: Awaited<ReturnType<typeof startRealServer>>;
  let browser: Browser;
  let dir: string;
  let mouth: { x: number; y: number; w: number; h: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agenthuman-mic-'));
    const { pcm } = await new FliteTTS().synthesize(QUESTION);
    const audio = new Int16Array(16_000 * (LEAD_SILENCE_S + TAIL_SILENCE_S) + pcm.length);
    audio.set(pcm, 16_000 * LEAD_SILENCE_S);
    const wav = join(dir, 'question.wav');
    writeFileSync(wav, writeWav(audio, 16_000));
    server = await startRealServer();
    browser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
    ]);
    const rig = await findPublicAvatar('eileen')!.loadRig('4:3');
    const lips = [...rig.regions.lipsUpperOuter!, ...rig.regions.lipsLowerOuter!];
    const xs = lips.map((i) => rig.mesh[i * 2]!);
    const ys = lips.map((i) => rig.mesh[i * 2 + 1]!);
    const x0 = Math.floor(Math.min(...xs));
    const y0 = Math.floor(Math.min(...ys));
    mouth = { x: x0, y: y0, w: Math.ceil(Math.max(...xs)) - x0, h: Math.ceil(Math.max(...ys)) - y0 + 8 };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': E2E_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<Record<string, { [k: string]: string }>>;
  };

  async function newLink(greeting: string): Promise<string> {
    const { agent } = await api('/v1/agents', {
      name: 'Ava',
      avatar_id: 'PUBLIC/Avatars/eileen',
      knowledge: KNOWLEDGE,
      custom_greeting: greeting,
    });
    const { link } = await api('/v1/links', { agent_id: agent!.agent_id });
    return link!.link_id!;
  }

  async function roomFrame(page: Page): Promise<Frame> {
    await page.waitForFunction(() => (document.getElementById('room') as HTMLIFrameElement)?.src, null, {
      timeout: 15_000,
    });
    for (let i = 0; i < 100; i++) {
      const frame = page.frames().find((f) => f.url().includes('/rooms/'));
      if (frame) return frame;
      await page.waitForTimeout(100);
    }
    throw new Error('the room page never loaded in the link page');
  }

  const transcriptText = (page: Page) => page.locator('#log').innerText();
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);

  it('greets aloud with a moving mouth, and answers a typed question aloud and in the transcript', async () => {
    const linkId = await newLink(
      'Hello and welcome to Acme Bikes. I can tell you about our opening hours and our repair prices.',
    );
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/s/${linkId}`);
    const room = await roomFrame(page);
    await waitForRoomState(room as unknown as Page, 'connected', 30_000);
    expect(await room.locator('#mic').isVisible()).toBe(true);
    expect(await room.locator('#mic').innerText()).toBe('Talk');
    // Chromium plays (and measures) the received audio only once the page is unmuted.
    await room.click('#unmute');

    // The greeting: in the transcript, audible (inbound audio level), and seen (the mouth region moves).
    await expect.poll(() => transcriptText(page), { timeout: 15_000 }).toContain('Hello and welcome');
    const levels: number[] = [];
    const before = await inboundSnapshot(room as unknown as Page);
    const greetingLuma = await sampleRegionLuma(room as unknown as Page, mouth, 25, 60);
    for (let i = 0; i < 6; i++) {
      levels.push((await inboundSnapshot(room as unknown as Page)).audioLevel);
      await page.waitForTimeout(100);
    }
    const after = await inboundSnapshot(room as unknown as Page);
    console.log(
      `[e2e link] greeting: audio levels ${levels.map((l) => l.toFixed(2)).join(' ')}, mouth luma spread ${spread(greetingLuma).toFixed(1)}`,
    );
    expect(after.totalAudioEnergy).toBeGreaterThan(before.totalAudioEnergy);
    expect(Math.max(...levels)).toBeGreaterThan(0.02);

    // Once the greeting is over (the audio goes quiet), the idle mouth is the baseline for "seen".
    let quiet = 0;
    for (let i = 0; i < 100 && quiet < 5; i++) {
      quiet = (await inboundSnapshot(room as unknown as Page)).audioLevel < 0.01 ? quiet + 1 : 0;
      await page.waitForTimeout(100);
    }
    const idle = await sampleRegionLuma(room as unknown as Page, mouth, 15, 60);

    // A typed question: the reply streams into the page and is spoken.
    const energyBefore = (await inboundSnapshot(room as unknown as Page)).totalAudioEnergy;
    await page.fill('#text', 'When are you open?');
    await page.click('#go');
    await expect.poll(() => transcriptText(page), { timeout: 15_000 }).toContain('Monday to Saturday');
    await expect
      .poll(async () => (await inboundSnapshot(room as unknown as Page)).totalAudioEnergy, {
        timeout: 10_000,
      })
      .toBeGreaterThan(energyBefore + 0.01);
    const spoken = await sampleRegionLuma(room as unknown as Page, mouth, 20, 60);
    console.log(
      `[e2e link] mouth luma spread: greeting ${spread(greetingLuma).toFixed(1)}, idle ${spread(idle).toFixed(1)}, reply ${spread(spoken).toFixed(1)}`,
    );
    expect(spread(greetingLuma)).toBeGreaterThan(3 * Math.max(spread(idle), 1));
    expect(spread(spoken)).toBeGreaterThan(3 * Math.max(spread(idle), 1));
    await page.close();
  }, 120_000);

  it('answers a question spoken into the microphone (fake capture device)', async () => {
    const linkId = await newLink('Hi.');
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/s/${linkId}?mic=1`);
    const room = await roomFrame(page);
    await waitForRoomState(room as unknown as Page, 'connected', 30_000);
    await room.waitForFunction(
      () => (window as unknown as { agenthumanRoom: { mic: string } }).agenthumanRoom.mic === 'listening',
    );
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 5_000 }).toMatch(/Listening/);
    // The question plays ~3 s after the microphone opened; pocketsphinx and the reply follow.
    await expect.poll(() => transcriptText(page), { timeout: 30_000 }).toContain('49 dollars');
    const text = await transcriptText(page);
    console.log(`[e2e link] transcript after the spoken question:\n${text}`);
    const heard = new Set(
      (text.split('\n').find((l) => /service/i.test(l) && !/49 dollars/.test(l)) ?? '')
        .toLowerCase()
        .split(/[^a-z]+/),
    );
    const said = QUESTION.toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean);
    const recognised = said.filter((w) => heard.has(w)).length / said.length;
    console.log(`[e2e link] words of the spoken question recognised: ${Math.round(recognised * 100)} %`);
    expect(heard.has('service')).toBe(true);
    expect(recognised).toBeGreaterThanOrEqual(0.4);
    await page.close();
  }, 120_000);
});
