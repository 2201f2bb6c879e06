/** bench:livekit's small shared helpers: flags, absolute time, rounding, percentiles, the peers' child process. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LiveKitServer } from '../e2e/livekit/livekit-server.js';

/** `--name=value` as a number, else `fallback`. */
export const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};

/** Absolute time in ms (performance.timeOrigin + now): comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

export const round = (value: number): number => Math.round(value * 10) / 10;

/**
 * How LiveKit Agents' `DataStreamAudioOutput` (livekit-agents voice/avatar/_datastream_io.py) sends speech: one
 * `write()` per frame its TTS emits, as they come (usually faster than real time). Its TTS `AudioEmitter` cuts
 * frames of 200 ms (`frame_size_ms` default), so a reply's first 40 ms arrive whole in one chunk. The bench used
 * 20 ms writes before (each an awaited FFI round trip in the niced peers' process), which spread a frame's audio
 * over several packets: `--chunk-ms=20` reproduces that.
 */
export const TTS_FRAME_MS = Number(process.env.BENCH_CHUNK_MS) || arg('chunk-ms', 200);

/** PCM16 `bytes` cut as the TTS hands them to DataStreamAudioOutput (TTS_FRAME_MS each, the last shorter). */
export function ttsFrames(bytes: Uint8Array, sampleRate: number, channels: number): Uint8Array[] {
  const size = Math.max(2 * channels, Math.round((sampleRate * TTS_FRAME_MS) / 1000) * 2 * channels);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) frames.push(bytes.subarray(at, at + size));
  return frames;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export { percentile } from './stats.js';

/**
 * A bench script of this folder (`script`, e.g. './livekit-peers.ts') in a child process that knows the LiveKit
 * server (BENCH_LIVEKIT) and talks over IPC. `nice` > 0 runs the whole process under it (nice is per thread, so
 * it must be set at exec): a remote peer decodes on its own machine and must not take the measured server's cores.
 */
export function forkBenchChild(script: string, livekit: LiveKitServer, nice = 0): ChildProcess {
  const tsx = [process.execPath, '--import', 'tsx'];
  return fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    ...(nice > 0 ? { execPath: 'nice', execArgv: ['-n', String(nice), ...tsx] } : { execArgv: tsx.slice(1) }),
    env: {
      ...process.env,
      // The peers' children take the parent's --chunk-ms.
      BENCH_CHUNK_MS: String(TTS_FRAME_MS),
      // Where a child turns rtc-node's log capture off (rtc-log-capture.ts), Rust warnings go to stderr.
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      BENCH_LIVEKIT: JSON.stringify({
        url: livekit.url,
        apiKey: livekit.apiKey,
        apiSecret: livekit.apiSecret,
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** A reply from a bench child: the request's id, and either its fields or an error. */
export type ChildReply = { id: number; error?: string } & Record<string, unknown>;

/**
 * The parent's side of a bench child process (forkBenchChild): one reply per request, matched by id (0 says the
 * child is ready). A request unanswered within `timeoutMs` fails, so a hung peer fails the bench, not hangs it.
 */
export class BenchChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly #name: string;
  readonly #timeoutMs: number;
  #next = 1;
  readonly #waiting = new Map<number, (reply: ChildReply) => void>();

  constructor(
    script: string,
    livekit: LiveKitServer,
    options: { name: string; nice?: number; timeoutMs: number },
  ) {
    this.#name = options.name;
    this.#timeoutMs = options.timeoutMs;
    this.child = forkBenchChild(script, livekit, options.nice);
    this.ready = new Promise((resolve, reject) => {
      this.#waiting.set(0, () => resolve());
      this.child.once('exit', (code) => reject(new Error(`${this.#name} exited with ${code}`)));
    });
    this.child.on('message', (reply: ChildReply) => {
      const done = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      done?.(reply);
    });
  }

  /** Sends `message` (given an id) and resolves with the reply; rejects with the child's error or on timeout. */
  protected async request<T>(message: Record<string, unknown>, label: string): Promise<T> {
    const id = this.#next++;
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<ChildReply>((resolve) => {
      this.#waiting.set(id, resolve);
      timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve({ id, error: `no reply within ${this.#timeoutMs} ms` });
      }, this.#timeoutMs);
      this.child.send({ ...message, id });
    }).finally(() => clearTimeout(timer));
    if (reply.error) throw new Error(`${this.#name} (${label}): ${reply.error}`);
    return reply as T;
  }

  close(): void {
    this.child.kill();
  }
}

/** The child's side: answers each request with `handle`'s result or its error, and says it is ready. */
export function serveParent<M extends { id: number }>(handle: (message: M) => Promise<object>): void {
  process.on('message', (message: M) => {
    handle(message).then(
      (reply) => process.send?.({ id: message.id, ...reply }),
      (error: unknown) =>
        process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ id: 0, ready: true });
}
