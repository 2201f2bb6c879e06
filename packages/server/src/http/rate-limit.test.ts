/**
 * Issue 15 item 12: failed authentications count against the client IP, so invented keys cannot each open a
 * fresh window (and cost a database lookup each); behind a proxy only trusted proxies' X-Forwarded-For counts.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';

const LIMIT = 60;
const PROXY = '10.9.9.9';
const invented = () => `ah_live_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;

describeOnBothStores(
  'rate limiting failed authentications',
  (t) => {
    const fire = (remoteAddress: string, headers: Record<string, string> = {}) =>
      t().server.app.inject({
        method: 'GET',
        url: '/v1/usage',
        remoteAddress,
        headers: { 'x-api-key': invented(), ...headers },
      });

    it('200 invented keys from one IP: 401 up to the limit, then 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await fire('203.0.113.7')).statusCode);
      expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
      expect(statuses.slice(LIMIT)).toEqual(Array(200 - LIMIT).fill(429));
      // Keyless requests from that IP are refused too; another IP is untouched.
      const keyless = await t().server.app.inject({
        method: 'GET',
        url: '/v1/usage',
        remoteAddress: '203.0.113.7',
      });
      expect(keyless.statusCode).toBe(429);
      expect((await fire('203.0.113.8')).statusCode).toBe(401);
    });

    it('counts the forwarded address only when the request comes from a trusted proxy', async () => {
      // Through the trusted proxy each client has its own failure window...
      const behind: number[] = [];
      for (let i = 0; i < LIMIT + 5; i++) {
        behind.push((await fire(PROXY, { 'x-forwarded-for': '198.51.100.1' })).statusCode);
      }
      expect(behind.slice(LIMIT)).toEqual(Array(5).fill(429));
      expect((await fire(PROXY, { 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(401);
      // ...while an untrusted client cannot dodge its window by inventing X-Forwarded-For values.
      const spoofed: number[] = [];
      for (let i = 0; i < LIMIT + 5; i++) {
        spoofed.push((await fire('192.0.2.50', { 'x-forwarded-for': `198.51.100.${100 + i}` })).statusCode);
      }
      expect(spoofed.slice(LIMIT)).toEqual(Array(5).fill(429));
    });
  },
  { env: { AGENTHUMAN_RATE_LIMIT: String(LIMIT), AGENTHUMAN_TRUST_PROXY: `${PROXY},127.0.0.0/8` } },
);
