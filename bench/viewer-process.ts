// The live benchmarks' viewers, in a child process of their own so they never run on the measured server's
// event loop: werift peers that receive and count whole frames (werift-viewers.ts, default) or libwebrtc peers
// that decode every frame (live-viewers.ts, `--viewers=wrtc`, niced once joined).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

export type ViewerKind = 'werift' | 'wrtc';

/** `--viewers=wrtc` on a bench's command line picks decoding viewers. */
export const viewersFromArgv = (argv: string[]): ViewerKind =>
  argv.includes('--viewers=wrtc') ? 'wrtc' : 'werift';

export interface FrameSample {
  /** Wall-clock time of the count (Date.now() in the viewer process). */
  atMs: number;
  frames: number[];
}

/** Lowest frames per second over the viewers between two samples, timed by the samples' own stamps. */
export function minFps(a: FrameSample, b: FrameSample, viewers: number): number {
  const seconds = (b.atMs - a.atMs) / 1000;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < viewers; i++) min = Math.min(min, ((b.frames[i] ?? 0) - (a.frames[i] ?? 0)) / seconds);
  return min;
}

export class ViewerProcess {
  readonly kind: ViewerKind;
  readonly #child: ChildProcess;
  #sample: FrameSample | null = null;

  /** `rooms`: `name` or `name:token`, one viewer each, joined over WHEP at `baseUrl`. */
  constructor(baseUrl: string, rooms: string[], kind: ViewerKind) {
    this.kind = kind;
    const script = kind === 'wrtc' ? './live-viewers.ts' : './werift-viewers.ts';
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), baseUrl, ...rooms],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.#child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const last = text.trim().split('\n').at(-1);
      if (!last) return;
      const counts = JSON.parse(last) as { at: number; decoded?: number[]; frames?: number[] };
      this.#sample = { atMs: counts.at, frames: counts.decoded ?? counts.frames ?? [] };
    });
  }

  /** The latest count (≤ 200 ms old): frames each viewer has received whole (werift) or decoded (wrtc). */
  sample(): FrameSample {
    return this.#sample ?? { atMs: Date.now(), frames: [] };
  }

  /** Resolves once every viewer has joined (the child reports counts only then). */
  async joined(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.#sample) {
      if (this.#child.exitCode !== null) throw new Error(`viewers exited with ${this.#child.exitCode}`);
      if (Date.now() > until) throw new Error('viewers did not join in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Decoding viewers run on this machine's cores; in the product they are remote, so they get spare CPU only.
    if (this.kind === 'wrtc') lowerPriority(this.#child.pid);
  }

  /** User + system CPU of the viewers so far, in clock ticks (1/100 s); 0 where /proc is not readable. */
  cpuTicks(): number {
    try {
      const stat = readFileSync(`/proc/${this.#child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  }

  stop(): void {
    this.#child.kill('SIGTERM');
  }
}

/** Nice 19 for every thread of a process (Linux priorities are per thread). */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), 19);
  } catch {
    // Not Linux, or the process is gone: the viewers then compete at normal priority (a stricter trial).
  }
}
