// The playground in real headless chromium against a real server with the live path: start a session, see the
// room's video play in the page, make the avatar speak typed text and an audio file, interrupt, end.
// Screenshots go to artifacts/screenshots/ (one of playground-live-N.png is the README's picture).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeWav } from '@agenthuman/media';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { ensureWebBuilt } from '@agenthuman/web';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

/** Two seconds of a vowel-like tone as a 16-bit mono WAV at 22.05 kHz (decoded by the browser's WebAudio). */
function voiceWav(): Buffer {
  const rate = 22050;
  const pcm = Int16Array.from({ length: rate * 2 }, (_, i) => {
    const t = i / rate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t); // syllable-like loudness
    return Math.round(
      envelope * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 720 * t)) * 9000,
    );
  });
  return Buffer.from(writeWav(pcm, rate));
}

describe('playground in a real browser', () => {
  let server: ListeningServer;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const web = await ensureWebBuilt();
    // A 1 s closed-socket grace: a page that dropped the session's socket would see it end within the test.
    server = await startListeningServer({
      server: { webRoot: web.distDir },
      env: { AGENTHUMAN_WS_RECONNECT_GRACE_S: '1' },
    });
    key = (await server.newAccount('enterprise')).key;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function roomFrame(page: Page): Promise<Frame> {
    const handle = await page.getByTestId('room-frame').elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('no room frame');
    return frame;
  }

  it('starts a session, plays its video, speaks typed text and an audio file, interrupts and ends', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.avatar-option', { hasText: 'Eileen' }).click();
    await page.getByRole('button', { name: 'Start session' }).click();

    // The built-in room page, embedded: its video starts and keeps advancing.
    await page.getByTestId('room-frame').waitFor();
    const frame = await roomFrame(page);
    await frame.waitForFunction(
      () => {
        const video = document.querySelector('video');
        return video !== null && video.readyState >= 2 && video.currentTime > 0.3;
      },
      undefined,
      { timeout: 30_000 },
    );
    const t0 = await frame.evaluate(() => document.querySelector('video')?.currentTime ?? 0);
    await page.waitForTimeout(600);
    expect(await frame.evaluate(() => document.querySelector('video')?.currentTime ?? 0)).toBeGreaterThan(
      t0 + 0.3,
    );
    const size = await frame.evaluate(() => {
      const video = document.querySelector('video');
      return [video?.videoWidth, video?.videoHeight];
    });
    expect(size).toEqual([640, 480]);
    await page.getByTestId('event-log').getByText('connection.established', { exact: true }).waitFor();

    // Typed text → server TTS; the transcript and the event log update as it happens.
    const line = 'Hello! I was made from a single photo, and I can talk.';
    await page.getByLabel('Text for the avatar to say').fill(line);
    await page.getByRole('button', { name: 'Say it' }).click();
    await page.getByTestId('transcript').getByText(line).waitFor();
    await page.getByTestId('event-log').getByText('agent.speak_text.confirmed').waitFor();
    await page.getByTestId('event-log').getByText('avatar.speaking.started').waitFor({ timeout: 15_000 });
    // A few frames through the sentence (the README uses one where the mouth is open).
    for (let i = 1; i <= 4; i++) {
      await page.waitForTimeout(350);
      await page.screenshot({ path: join(SCREENSHOTS, `playground-live-${i}.png`) });
    }
    await page.getByTestId('event-log').getByText('avatar.speaking.stopped').waitFor({ timeout: 20_000 });

    // An audio file, decoded in the page to PCM16 16 kHz and streamed as agent.speak chunks.
    await page
      .getByTestId('audio-file')
      .setInputFiles({ name: 'voice.wav', mimeType: 'audio/wav', buffer: voiceWav() });
    await page.getByRole('progressbar', { name: 'Playing voice.wav' }).waitFor();
    await page.getByTestId('event-log').getByText('voice.wav: 2.0 s').waitFor();
    await page.getByRole('button', { name: 'Interrupt' }).click();
    await page.getByTestId('event-log').getByText('agent.interrupt.confirmed').waitFor();

    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByText(/Session sess_\w+ ended/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-ended.png') });
    await page.close();
  }, 120_000);

  it('keeps the session live while you visit other pages, with an indicator and a link back', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.avatar-option', { hasText: 'Eileen' }).click();
    await page.getByRole('button', { name: 'Start session' }).click();
    await page
      .getByTestId('event-log')
      .getByText('connection.established', { exact: true })
      .waitFor({ timeout: 30_000 });
    const sessionId = (await page.locator('.page-header code.id').textContent()) ?? '';
    expect(sessionId).toMatch(/^sess_/);
    const frame = await roomFrame(page);
    await frame.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.3, undefined, {
      timeout: 30_000,
    });

    await page.getByRole('link', { name: /^Sessions/ }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    await page.getByTestId('nav-live').waitFor();
    const dock = page.getByTestId('live-dock');
    await dock.getByRole('link', { name: 'Back to playground' }).waitFor();
    await page.getByRole('link', { name: /^Usage/ }).click();
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    // Three times the closed-socket grace: the socket and the room viewer are still there.
    await page.waitForTimeout(3_000);
    const client = new AgentHuman({ baseUrl: server.url, apiKey: key });
    expect((await client.sessions.get(sessionId)).status).toBe('started');
    // The same room keeps playing in the small player (it was never reloaded: no second viewer joined).
    const mini = await roomFrame(page);
    const t0 = await mini.evaluate(() => document.querySelector('video')?.currentTime ?? 0);
    expect(t0).toBeGreaterThan(3);
    await page.waitForTimeout(500);
    expect(await mini.evaluate(() => document.querySelector('video')?.currentTime ?? 0)).toBeGreaterThan(t0);
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-mini-player.png') });

    await dock.getByRole('link', { name: 'Back to playground' }).click();
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    expect(await page.locator('.page-header code.id').textContent()).toBe(sessionId);
    await page.getByLabel('Text for the avatar to say').fill('Still here.');
    await page.getByRole('button', { name: 'Say it' }).click();
    await page.getByTestId('event-log').getByText('agent.speak_text.confirmed').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-back.png') });
    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByText(/Session sess_\w+ ended/).waitFor();
    expect(await page.getByTestId('nav-live').count()).toBe(0);
    expect((await client.sessions.get(sessionId)).end_reason).toBe('client');
    await page.close();
  }, 120_000);
});
