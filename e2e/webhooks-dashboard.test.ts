// The Webhooks page in real headless chromium against a real server (PGlite, loopback) and a real receiver:
// add an endpoint (secret shown once), send a test, see the delivery, replay it, and the disabled-endpoint
// notice. Screenshots go to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { ensureWebBuilt } from '@agenthuman/web';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

const SCREENSHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

describe('webhooks page in a real browser', () => {
  let server: ListeningServer;
  let browser: Browser;
  let receiver: Server;
  let receiverUrl: string;
  let key: string;
  let client: AgentHuman;
  const received: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    receiver = createServer((req, res) => {
      received.push(req.url ?? '/');
      req.resume();
      // `/down` always fails, so its endpoint is disabled after the (short) schedule.
      res.statusCode = req.url === '/down' ? 500 : 204;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const web = await ensureWebBuilt();
    server = await startListeningServer({
      env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
      server: {
        webRoot: web.distDir,
        webhooks: {
          pollMs: 50,
          schedule: { delaysMs: [100], thenEveryMs: 100, jitter: 0, disableAfterMs: 400 },
        },
      },
    });
    key = (await server.newAccount('enterprise')).key;
    client = new AgentHuman({ baseUrl: server.url, apiKey: key });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('adds an endpoint, shows the secret once, lists deliveries, replays one, and shows a disabled endpoint', async () => {
    const down = await client.webhooks.create({ url: `${receiverUrl}/down`, events: ['session.started'] });
    await client.webhooks.test(down.webhook.webhook_id);
    await expect
      .poll(async () => (await client.webhooks.get(down.webhook.webhook_id)).status, { timeout: 15_000 })
      .toBe('disabled');

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('disabled-notice').textContent()).toContain('/down');

    await page.getByLabel('Endpoint URL').fill(`${receiverUrl}/hooks`);
    await page.getByLabel('Description').fill('Order backend');
    await page.getByRole('checkbox', { name: 'session.ended' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByTestId('new-webhook-secret').locator('.key-value').textContent();
    expect(secret).toMatch(/^whsec_/);
    const row = page.locator('tr', { hasText: `${receiverUrl}/hooks` });
    await row.waitFor();
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => received.includes('/hooks'), { timeout: 10_000 }).toBe(true);
    const deliveries = page.getByTestId('deliveries');
    await deliveries.waitFor();
    await expect
      .poll(
        async () => {
          await deliveries.getByRole('button', { name: 'Refresh' }).click();
          return deliveries.locator('tbody tr').first().textContent();
        },
        { timeout: 10_000 },
      )
      .toContain('succeeded');
    await deliveries.getByRole('button', { name: 'Replay' }).first().click();
    await expect.poll(() => received.filter((p) => p === '/hooks').length, { timeout: 10_000 }).toBe(2);
    await deliveries.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => deliveries.locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'webhooks.png'), fullPage: true });

    // The secret is in the create answer only: a reload shows the endpoint without it.
    await page.reload();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret!);

    // Phone width: the form, table and deliveries stay usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'webhooks-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1000 });

    await page.getByTestId('disabled-notice').getByRole('button', { name: 'Enable again' }).click();
    await expect.poll(() => page.getByTestId('disabled-notice').count()).toBe(0);
    await page.close();
  }, 120_000);
});
