/**
 * @module A server in a child process for the webhook crash test (kill -9). Settings come from the environment.
 * It delivers nothing (its dispatcher is off, as if it died first): it makes an account, a webhook endpoint to
 * WEBHOOK_RECEIVER_URL and a session that starts at create (session.started is now in the outbox), prints one
 * JSON line `{sessionId, key, secret}` and keeps running until killed.
 */
import { loadConfig } from '../config/config.js';
import { createServer } from '../server.js';

const adminKey = process.env.AGENTHUMAN_BOOTSTRAP_KEY;
const receiverUrl = process.env.WEBHOOK_RECEIVER_URL;
if (!adminKey || !receiverUrl)
  throw new Error('webhook-child-main needs AGENTHUMAN_BOOTSTRAP_KEY and WEBHOOK_RECEIVER_URL');
const server = await createServer(loadConfig(), {
  sweep: false,
  startMediaWithSession: false,
  webhooks: { deliver: false },
});
const call = async (method: 'GET' | 'POST', url: string, key: string, payload?: object) => {
  const res = await server.app.inject({
    method,
    url,
    headers: { 'x-api-key': key },
    ...(payload && { payload }),
  });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const { api_key } = await call('POST', '/v1/admin/accounts', adminKey, {
  plan: 'pro',
  name: 'webhook crash test',
});
const { secret } = await call('POST', '/v1/webhooks', api_key.key, { url: receiverUrl });
const { session } = await call('POST', '/v1/sessions', api_key.key, { avatar: 'PUBLIC/Avatars/ada' });
process.stdout.write(`${JSON.stringify({ sessionId: session.session_id, key: api_key.key, secret })}\n`);
setInterval(() => undefined, 60_000);
