/**
 * `npm run bench:livekit-rooms`: what a LiveKit room costs a create. A real LiveKit server (dev mode, loopback)
 * and the API in this process (PGlite, real HTTP, no media), then sequential creates: `room: {"platform":
 * "proxy"}` (RoomService CreateRoom + three tokens) against the built-in room, and ending them (the LiveKit
 * room is deleted after the end's reply). The last line is one JSON object.
 */
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer } from '@agenthuman/server/testing/livekit';
import { percentile } from './stats.js';

const N = Number(process.env.BENCH_N ?? 40);

const summary = (values: number[]) => ({
  n: values.length,
  p50_ms: percentile(values, 50),
  p95_ms: percentile(values, 95),
});

async function timed(server: ListeningServer, key: string, path: string, body: unknown) {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { session?: { session_id: string } };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return { ms: performance.now() - started, id: json.session?.session_id as string };
}

async function main() {
  const livekit = await startLiveKitServer();
  const server = await startListeningServer({ env: { ...livekit.env, AGENTHUMAN_LOG_LEVEL: 'silent' } });
  try {
    const { key } = await server.newAccount('enterprise');
    const runs = { proxy: [] as number[], builtin: [] as number[], end_proxy: [] as number[] };
    for (let i = 0; i < N; i++) {
      const proxy = await timed(server, key, '/v1/sessions', {
        avatar: 'PUBLIC/Avatars/nora',
        room: { platform: 'proxy' },
      });
      const builtin = await timed(server, key, '/v1/sessions', { avatar: 'PUBLIC/Avatars/nora' });
      if (i > 0) runs.proxy.push(proxy.ms); // the first create pays for connections and JIT
      if (i > 0) runs.builtin.push(builtin.ms);
      runs.end_proxy.push((await timed(server, key, `/v1/sessions/${proxy.id}/end`, {})).ms);
      await timed(server, key, `/v1/sessions/${builtin.id}/end`, {});
    }
    const [load1] = (await import('node:os')).loadavg();
    console.log(
      JSON.stringify({
        bench: 'livekit-rooms',
        livekit_server: 'v1.13.5 --dev, loopback',
        create_proxy: summary(runs.proxy),
        create_builtin: summary(runs.builtin),
        end_proxy: summary(runs.end_proxy), // the LiveKit room is deleted after the reply (onEnded)
        load_average_1m: Math.round((load1 ?? 0) * 10) / 10,
      }),
    );
  } finally {
    await server.close();
    await livekit.stop();
  }
}

await main();
