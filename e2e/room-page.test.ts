// The room page the API server serves at /rooms/{name}, in real headless chromium: when the session ends
// (here through the REST API), the page says so within about a second, not after the ~12 s it takes a closed
// peer connection to time out; ended and refused pages show no unmute or talk button.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import { waitForRoomState } from './support/page-probes.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

describe('room page served by the API server', () => {
  let server: ListeningServer;
  let browser: Browser;
  let client: AgentHuman;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startListeningServer();
    client = new AgentHuman({ baseUrl: server.url, apiKey: (await server.newAccount('enterprise')).key });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const visible = (page: Page, selector: string) => page.locator(selector).isVisible();

  it('shows "session ended" within 2 s of the session ending, and hides the unmute button', async () => {
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    const room = session.room as { url: string; token: string };
    const page = await browser.newPage();
    await page.goto(`${room.url}?token=${room.token}`);
    await waitForRoomState(page, 'connected', 30_000);
    expect(await visible(page, '#unmute')).toBe(true);

    const endedAt = Date.now();
    await client.sessions.end(session.session_id);
    await waitForRoomState(page, 'ended', 10_000);
    const noticedMs = Date.now() - endedAt;
    console.log(`[e2e room page] session ended → page shows it in ${noticedMs} ms`);
    expect(noticedMs).toBeLessThan(2_500);
    expect(await page.textContent('#state')).toBe('This session has ended.');
    expect(await visible(page, '#unmute')).toBe(false);
    expect(await visible(page, '#mic')).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'room-ended.png') });
    await page.close();
  }, 60_000);

  it('opened after the end, says so at once with no unmute button', async () => {
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    const room = session.room as { url: string; token: string };
    await client.sessions.end(session.session_id);
    const page = await browser.newPage();
    await page.goto(`${room.url}?token=${room.token}&talk=1`);
    await waitForRoomState(page, 'ended', 10_000);
    expect(await visible(page, '#unmute')).toBe(false);
    expect(await visible(page, '#mic')).toBe(false);
    await page.close();
  }, 60_000);

  it('refuses a wrong token and hides the unmute and talk buttons', async () => {
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    const room = session.room as { url: string; token: string };
    const page = await browser.newPage();
    await page.goto(`${room.url}?token=not-the-token&talk=1`);
    await waitForRoomState(page, 'denied', 10_000);
    expect(await page.textContent('#state')).toContain('Not allowed to watch');
    expect(await visible(page, '#unmute')).toBe(false);
    expect(await visible(page, '#mic')).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'room-denied.png') });
    await client.sessions.end(session.session_id);
    await page.close();
  }, 60_000);
});
