/** bench:cluster phase 1 — `/ws` frame round trips through the API's relay against a single `serve`. */
import { performance } from 'node:perf_hooks';
import { WsTestClient } from '@agenthuman/server/testing/ws-client';
import { api, createSession } from './api-client.js';

/** A session's /ws through `base`, initialised; `ping()` times one frame the connection answers at once. */
async function pingChannel(base: string) {
  const session = await createSession(base, { avatar: 'PUBLIC/Avatars/ada' });
  const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
  ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
  await ws.next('connection.established', 60_000);
  return {
    async ping(): Promise<number> {
      const sent = performance.now();
      // An unknown type: the session's connection answers `error` at once.
      ws.send({ type: 'bench.ping' });
      await ws.next('error');
      return performance.now() - sent;
    },
    async close() {
      ws.close();
      await api(base, 'POST', `/v1/sessions/${session.session_id}/end`);
    },
  };
}

/**
 * Round trips through a single `serve` and through the cluster's API relay, alternating frame by frame so
 * both paths see the same machine load (the first 10 of each warm the paths up and are not counted).
 */
export async function interleavedRoundTrips(serveUrl: string, apiUrl: string, count: number) {
  const direct = await pingChannel(serveUrl);
  const routed = await pingChannel(apiUrl);
  const out = { direct: [] as number[], routed: [] as number[] };
  try {
    for (let i = 0; i < count + 10; i++) {
      const d = await direct.ping();
      const r = await routed.ping();
      if (i >= 10) {
        out.direct.push(d);
        out.routed.push(r);
      }
    }
  } finally {
    await direct.close();
    await routed.close();
  }
  return out;
}
