// The threads that own recordings' ffmpeg children: how recordings are spread over them, and what a thread that
// dies leaves (a clean ENCODER_FAILED for its recordings, files that play up to their last fragment).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeRecording } from '@agenthuman/engine/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveError } from '../pipeline/live-error.js';
import { EncoderThreads } from './encoder-threads.js';
import { SessionRecorder } from './session-recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'encoder-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const width = 160;
const height = 120;

/** Feeds `recorders` 25 fps of textured frames and their audio for `seconds`, in real time. */
async function feed(recorders: SessionRecorder[], seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 25; i++) {
    const data = new Uint8Array(width * height * 1.5).map((_, p) => (p * 7 + i * 3) % 251);
    for (const recorder of recorders) {
      recorder.writeAudio({ pcm: new Int16Array(640).fill(i * 40), sampleRate: 16000, ptsMs: i * 40 });
      recorder.writeVideo({ width, height, format: 'i420', data, ptsMs: i * 40 });
    }
    await sleep(40);
  }
}

/** Niceness of a process or thread (Linux /proc). */
function niceness(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Niceness of each thread of this process, the main thread first. */
function threadNiceness(): number[] {
  const tids = readdirSync('/proc/self/task').sort((a, b) => Number(a) - Number(b));
  return tids.map((tid) => niceness(`/proc/self/task/${tid}/stat`));
}

describe('EncoderThreads', () => {
  it('runs its threads at the niceness it is given, leaving the rest of the process alone', async () => {
    const main = threadNiceness()[0]!;
    // Never below the main thread's (a test run under `nice` starts at 10).
    const expected = Math.max(main, 13);
    const before = threadNiceness().filter((n) => n === expected).length;
    const threads = new EncoderThreads({ size: 2, niceness: 13 });
    await threads.warm();
    try {
      expect(threadNiceness().filter((n) => n === expected).length - before).toBe(2);
      expect(threadNiceness()[0]).toBe(main);
    } finally {
      await threads.close();
    }
  });

  it('spreads recordings over its threads up to its size and lets them go when they end', async () => {
    const threads = new EncoderThreads({ size: 2 });
    await threads.warm();
    try {
      const recorders = [0, 1, 2].map(
        (i) => new SessionRecorder({ output: join(dir, `spread-${i}.mp4`), encoderThreads: threads }),
      );
      await feed(recorders, 1);
      expect(threads.load.sort()).toEqual([1, 2]);
      // The recordings' ffmpeg children yield to the live stream.
      const main = threadNiceness()[0]!;
      for (const recorder of recorders) {
        expect(niceness(`/proc/${recorder.pid}/stat`)).toBe(Math.max(main, 10));
      }
      const results = await Promise.all(recorders.map((recorder) => recorder.stop()));
      expect(threads.load).toEqual([0, 0]);
      for (const result of results) {
        expect(result.framesDropped).toBe(0);
        expect(result.videoFrames).toBe(25);
        expect(Math.abs(probeRecording(result.output).formatDurationS - 1)).toBeLessThanOrEqual(0.1);
      }
    } finally {
      await threads.close();
    }
  }, 30_000);

  it('fails its recordings with ENCODER_FAILED when the thread goes, and their files still play', async () => {
    const threads = new EncoderThreads();
    await threads.warm();
    const failures: LiveError[] = [];
    const output = join(dir, 'lost.mp4');
    const recorder = new SessionRecorder({
      output,
      encoderThreads: threads,
      onFailed: (error) => failures.push(error),
    });
    await feed([recorder], 3);
    await threads.close();
    expect(failures.map((error) => error.code)).toEqual(['ENCODER_FAILED']);
    // Later writes are refused quietly: the session goes on without its recording.
    recorder.writeVideo({
      width,
      height,
      format: 'i420',
      data: new Uint8Array(width * height * 1.5),
      ptsMs: 5000,
    });
    await expect(recorder.stop()).rejects.toMatchObject({ code: 'ENCODER_FAILED' });
    // The thread's pipes closed with it: ffmpeg saw EOF and finished the file.
    for (let waited = 0; waited < 5000; waited += 100) {
      try {
        if (probeRecording(output).formatDurationS > 0) break;
      } catch {
        // Not finished yet.
      }
      await sleep(100);
    }
    expect(probeRecording(output).formatDurationS).toBeGreaterThan(1.5);
  }, 30_000);
});
