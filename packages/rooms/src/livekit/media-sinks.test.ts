import { afterEach, describe, expect, it } from 'vitest';
import { LiveKitAudioSink, LiveKitVideoSink } from './media-sinks.js';
import { startVideoCaptureThread } from './video-capture-thread.js';

// A real rtc-node AudioSource (its native queue drains 10 ms every 10 ms even with no room attached).
const sinks: LiveKitAudioSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

const CHUNK = 640; // 40 ms at 16 kHz, what the pipeline writes per tick
const chunk = (ptsMs: number, idle: boolean) => ({
  pcm: new Int16Array(CHUNK).fill(idle ? 0 : 1000),
  sampleRate: 16_000,
  ptsMs,
  ...(idle ? { idle: true } : {}),
});

function sink() {
  const s = new LiveKitAudioSink({ sampleRate: 16_000 });
  sinks.push(s);
  return s;
}

describe('LiveKitAudioSink', () => {
  it('skips idle silence written in a burst (a stall caught up), so later speech does not queue behind it', () => {
    const s = sink();
    // Ten ticks at once: 400 ms of idle silence.
    for (let i = 0; i < 10; i++) s.writeAudio(chunk(i * 40, true));
    expect(s.skippedIdleMs).toBeGreaterThanOrEqual(280);
    expect(s.queuedMs).toBeLessThanOrEqual(100);
    // The played position moved past the skipped silence: speech written now is timed from its own pts.
    s.writeAudio(chunk(400, false));
    expect(s.playedPtsMs).toBeGreaterThanOrEqual(440 - s.queuedMs - 1);
  });

  it('never skips speech, however far behind', () => {
    const s = sink();
    for (let i = 0; i < 10; i++) s.writeAudio(chunk(i * 40, false));
    expect(s.skippedIdleMs).toBe(0);
    expect(s.queuedMs).toBeGreaterThanOrEqual(360);
    // Nothing of it has played yet beyond what the queue let out.
    expect(s.playedPtsMs).toBeLessThanOrEqual(80);
  });

  it("drops the idle silence queued ahead of a reply's first audio, never speech queued ahead of it", () => {
    const s = sink();
    s.writeAudio(chunk(0, true));
    s.writeAudio(chunk(40, true));
    expect(s.queuedMs).toBeGreaterThan(40);
    // The reply starts: the 80 ms of silence ahead of it go, its own 40 ms are what is queued.
    s.writeAudio(chunk(80, false));
    expect(s.queuedMs).toBeLessThanOrEqual(41);
    expect(s.skippedIdleMs).toBeGreaterThan(40);
    // Positions stay on the media clock: the dropped silence counts as played.
    expect(s.playedPtsMs).toBeGreaterThanOrEqual(80);
    // Idle silence, then speech again while the first speech is still queued: nothing is dropped.
    const skipped = s.skippedIdleMs;
    s.writeAudio(chunk(120, true));
    s.writeAudio(chunk(160, false));
    expect(s.skippedIdleMs).toBe(skipped);
    expect(s.queuedMs).toBeGreaterThanOrEqual(100);
  });

  it('writes idle silence at real-time pace without skipping any', async () => {
    const s = sink();
    for (let i = 0; i < 8; i++) {
      s.writeAudio(chunk(i * 40, true));
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(s.skippedIdleMs).toBe(0);
  });
});

describe('LiveKitVideoSink', () => {
  const W = 64;
  const H = 48;
  const frame = (ptsMs: number, recycled: number[]) => ({
    width: W,
    height: H,
    format: 'i420' as const,
    data: new Uint8Array((W * H * 3) / 2).fill(ptsMs % 256),
    ptsMs,
    recycle: () => void recycled.push(ptsMs),
  });

  it('hands frames to the capture thread, recycles each at once, and closes after the queued ones', async () => {
    expect(await startVideoCaptureThread()).toBe(true);
    const sink = new LiveKitVideoSink(W, H);
    expect(sink.threaded).toBe(true);
    const recycled: number[] = [];
    for (let i = 0; i < 50; i++) {
      sink.writeVideo(frame(i * 40, recycled));
      await new Promise((r) => setTimeout(r, 10));
    }
    // The buffer went back to its renderer synchronously: the thread reads its own copy.
    expect(recycled).toHaveLength(50);
    expect(sink.frames + sink.skipped).toBe(50);
    expect(sink.skipped).toBe(0);
    expect(sink.threadedFrames).toBe(sink.frames);
    await sink.close();
    expect(sink.captureErrors).toBe(0);
    // A frame after close is dropped (and still recycled), never sent to a disposed source.
    sink.writeVideo(frame(5000, recycled));
    expect(recycled).toHaveLength(51);
    expect(sink.frames + sink.skipped).toBe(50);
  });

  it('reports a failed capture on the thread and stops using it', async () => {
    expect(await startVideoCaptureThread()).toBe(true);
    const sink = new LiveKitVideoSink(W, H);
    // A source the thread cannot reach: the FFI answers "handle not found" there.
    sink.source.ffiHandle.dispose();
    sink.writeVideo(frame(0, []));
    const until = Date.now() + 5000;
    while (sink.captureErrors === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(sink.captureErrors).toBe(1);
    expect(sink.lastCaptureError).toMatch(/handle/);
    expect(sink.threaded).toBe(false);
    await sink.close();
  });
});
