// The dashboard in real headless chromium against a real server (PGlite, loopback): sign in, API keys, every
// page rendered (desktop and phone width), with screenshots saved to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { ensureWebBuilt } from '@agenthuman/web';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const PORTRAIT = join(import.meta.dirname, '..', 'packages', 'engine', 'assets', 'avatars', 'eileen.jpg');

const blankJpeg = () =>
  sharp({ create: { width: 400, height: 400, channels: 3, background: '#8899aa' } })
    .jpeg()
    .toBuffer();

describe('dashboard in a real browser', () => {
  let server: ListeningServer;
  let browser: Browser;
  let key: string;
  let client: AgentHuman;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const web = await ensureWebBuilt();
    server = await startListeningServer({ server: { webRoot: web.distDir } });
    key = (await server.newAccount('enterprise')).key;
    client = new AgentHuman({ baseUrl: server.url, apiKey: key });
    // Some history so the pages have something to show.
    for (let i = 0; i < 3; i++) {
      const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen', metadata: { i } });
      if (i < 2) await client.sessions.end(session.session_id);
    }
    await client.agents.create({ name: 'Concierge', context: 'You greet visitors and answer briefly.' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedInPage(viewport = { width: 1280, height: 860 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    return page;
  }

  it('refuses a wrong key with the reason, then signs in and lands on the playground', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${server.url}/`);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('ah_live_');
    await page.getByLabel('API key').fill('ah_test_00000000000000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('Invalid API key');

    await page.getByLabel('API key').fill(key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/playground');
    await page.locator('.avatar-option').first().waitFor();
    expect(await page.locator('.avatar-option').count()).toBeGreaterThanOrEqual(5);
    await page.waitForFunction(() =>
      [...document.images].every((img) => img.complete && img.naturalWidth > 0),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'playground-setup.png'), fullPage: true });
    expect(await page.evaluate(() => sessionStorage.getItem('agenthuman.apiKey'))).toBe(key);
    await page.close();
  });

  it('creates a key that is shown once, and revokes it', async () => {
    const page = await signedInPage();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('e2e backend');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const newKey = (await shown.locator('.key-value').textContent()) ?? '';
    expect(newKey).toMatch(/^ah_live_[0-9A-Za-z]{32}$/);
    const row = page.locator('tr', { hasText: 'e2e backend' });
    await row.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'api-keys.png'), fullPage: true });
    // The new key works against the API, then stops working once revoked.
    expect((await new AgentHuman({ baseUrl: server.url, apiKey: newKey }).usage.get()).plan.key).toBe(
      'enterprise',
    );

    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.getByTestId('new-key').count()).toBe(0);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke e2e backend' }).click();
    await expect.poll(() => page.locator('tr', { hasText: 'e2e backend' }).count()).toBe(0);
    const refused = await new AgentHuman({ baseUrl: server.url, apiKey: newKey }).usage
      .get()
      .catch((e: Error) => e);
    expect((refused as { code?: string }).code).toBe('INVALID_API_KEY');
    await page.close();
  });

  it('shows sessions with status, duration, end reason and billing, and ends a live one', async () => {
    const page = await signedInPage();
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('tab', { name: 'History' }).click();
    const ended = page.locator('tbody tr');
    await expect.poll(() => ended.count()).toBeGreaterThanOrEqual(2);
    expect(await ended.first().textContent()).toMatch(/ended.*Eileen.*client.*0 min/);
    await page.screenshot({ path: join(SCREENSHOTS, 'sessions.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Live' }).click();
    const live = page.locator('tbody tr', { hasText: 'live' });
    await expect.poll(() => live.count()).toBe(1);
    await live.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => page.getByText('No live sessions').count()).toBe(1);
    await page.close();
  });

  it('uploads a face by file and sees it appear, and shows why a photo without a face is refused', async () => {
    const page = await signedInPage();
    await page.getByRole('link', { name: 'Avatars' }).click();
    await page.getByRole('heading', { name: 'Public avatars' }).waitFor();
    expect(await page.getByText('No avatars of your own yet').count()).toBe(1);

    await page.getByLabel('Name (optional)').fill('Browser Eileen');
    await page.getByTestId('avatar-file').setInputFiles(PORTRAIT);
    await page.locator('.notice-success', { hasText: 'is ready' }).waitFor({ timeout: 60_000 });
    const card = page.locator('.avatar-card', { hasText: 'Browser Eileen' });
    await card.waitFor();
    expect(
      await card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBeGreaterThan(0);
    expect((await client.avatars.list()).my_avatars.map((a) => a.name)).toContain('Browser Eileen');

    await page
      .getByTestId('avatar-file')
      .setInputFiles({ name: 'wall.jpg', mimeType: 'image/jpeg', buffer: await blankJpeg() });
    const refusal = page.locator('#upload-status [role="alert"]');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toMatch(/not accepted.*face/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'avatars.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('renders usage with its chart, agents with a validated form, avatars and links', async () => {
    // A 3-second session bills a whole minute while the chart counts its 3 seconds: the page says which is which.
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    await new Promise((r) => setTimeout(r, 3100));
    const ended = await client.sessions.end(session.session_id);
    expect(ended.session.billing?.minutes_charged).toBe(1);
    const billed = (await client.usage.get()).included_minutes.used;
    expect(billed).toBeGreaterThanOrEqual(1);

    const page = await signedInPage();
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.locator('.chart svg').waitFor();
    expect(await page.locator('.chart-bar').count()).toBeGreaterThan(0);
    expect(await page.locator('.stat').count()).toBe(6);
    const billedCard = page.locator('.stat', { hasText: 'Billed minutes' });
    expect(await billedCard.locator('.stat-value').textContent()).toBe(`${billed} used`);
    expect(await billedCard.textContent()).toContain('rounded up per session');
    expect(await billedCard.getAttribute('title')).toMatch(/rounded up.*chart below shows actual minutes/s);
    expect(await page.getByRole('heading', { name: 'Actual minutes this period' }).count()).toBe(1);
    expect(await page.locator('.chart-legend').textContent()).toContain(
      'actual minutes per day, not rounded',
    );
    const note = (await page.getByTestId('billed-vs-actual').textContent()) ?? '';
    expect(note).toMatch(/^The chart shows actual minutes: the time sessions were live, [\d.]+ min so far\./);
    expect(note).toContain(
      `so the ${billed} billed minute${billed === 1 ? '' : 's'} above can be more than the chart's total`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'usage.png'), fullPage: true });

    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByText('Concierge').waitFor();
    await page.getByRole('button', { name: 'New agent' }).click();
    await page.getByRole('button', { name: 'Create agent' }).click();
    await expect
      .poll(() => page.locator('.field-error').first().textContent())
      .toBe('Give the agent a name.');
    await page.getByLabel('Name').fill('Tour guide');
    await page.getByLabel('Instructions').fill('You show people around.');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.locator('tr', { hasText: 'Tour guide' }).waitFor();
    expect((await client.agents.list()).map((a) => a.name)).toContain('Tour guide');
    // Editing opens the agent's form above the table, filled in; saving updates the row.
    await page.locator('tr', { hasText: 'Tour guide' }).getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit Tour guide' });
    expect(await edit.getByLabel('Name').inputValue()).toBe('Tour guide');
    await edit.getByLabel('Instructions').fill('You show people around the museum.');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('tr', { hasText: 'around the museum' }).waitFor();
    expect(await edit.count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'agents.png'), fullPage: true });

    await page.getByRole('link', { name: 'Links' }).click();
    const form = page.getByRole('form', { name: 'New link' });
    await form.getByRole('button', { name: 'Create link' }).click();
    await expect
      .poll(() => form.locator('.field-error').first().textContent())
      .toBe('Choose the agent the link talks to.');
    await form.getByLabel('Agent').selectOption({ label: 'Concierge' });
    await form.getByLabel('Name').fill('Lobby kiosk');
    await form.getByLabel('Use limit').fill('25');
    await form.getByRole('button', { name: 'Create link' }).click();
    const item = page.locator('tr', { hasText: 'Lobby kiosk' });
    await item.waitFor();
    expect((await item.locator('td').allTextContents()).slice(0, 4)).toEqual([
      'Lobby kiosk',
      'Concierge',
      '0 of 25',
      'never',
    ]);
    await item.getByRole('button', { name: 'Pause' }).click();
    await item.getByText('paused').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'links.png'), fullPage: true });
    await page.close();
  });

  it('works at phone width with a menu reachable by keyboard', async () => {
    const page = await signedInPage({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-playground.png'), fullPage: true });
    const nav = page.getByRole('navigation', { name: 'Primary' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).focus();
    await page.keyboard.press('Enter');
    expect(await nav.isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-menu.png') });
    await nav.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    expect(await nav.isVisible()).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-sessions.png'), fullPage: true });
    await page.close();
  });
});
