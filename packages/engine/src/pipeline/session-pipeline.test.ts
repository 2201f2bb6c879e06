import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { type MouthKeyframe, restMouth } from '../animation/params.js';
import type { VideoFrame } from '../render/renderer.js';
import { RenderWorkerPool } from '../workers/render-worker-pool.js';
import { isLiveError } from './live-error.js';
import type { AudioChunk, LipSync } from './ports.js';
import { SessionPipeline, type SessionPipelineOptions, useReplyRephase } from './session-pipeline.js';
import type { SpeakingStarted, SpeakingStopped } from './speech-processor.js';
import { createEasingTestAnimator } from './testing/easing-test-animator.js';
import { readSolidColourFrame, solidColourRendererSpec } from './testing/solid-colour-renderer.js';

const sessions: SessionPipeline[] = [];
const pools: RenderWorkerPool[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

interface Recorded {
  video: VideoFrame[];
  audio: AudioChunk[];
  started: SpeakingStarted[];
  stopped: SpeakingStopped[];
}

async function startSession(options: Partial<SessionPipelineOptions> = {}) {
  const out: Recorded = { video: [], audio: [], started: [], stopped: [] };
  const session = await SessionPipeline.start({
    renderer: solidColourRendererSpec({ width: 32, height: 24 }),
    animator: createEasingTestAnimator({ ease: 1 }),
    videoSinks: [{ writeVideo: (frame) => void out.video.push(frame) }],
    audioSinks: [{ writeAudio: (chunk) => void out.audio.push(chunk) }],
    ...options,
  });
  session.on('speaking.started', (e) => out.started.push(e));
  session.on('speaking.stopped', (e) => out.stopped.push(e));
  sessions.push(session);
  return { session, out };
}

/** n frames of speech; every sample of frame k holds k + 1, so the audio says which frame it is. */
function numberedSpeech(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 640);
  for (let k = 0; k < frames; k++) pcm.fill(k + 1, k * 640, (k + 1) * 640);
  return pcm;
}

/** Keyframe k opens the jaw to a value that identifies k. */
function numberedKeyframes(frames: number): MouthKeyframe[] {
  return Array.from({ length: frames }, (_, k) => ({
    ...restMouth,
    jawOpen: ((k % 9) + 1) / 10,
    ptsMs: k * 40,
  }));
}

const waitFor = async (predicate: () => boolean, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

describe('SessionPipeline', () => {
  it('offers frame buffers back for reuse, with several sinks after the last one released', async () => {
    const { out } = await startSession();
    await waitFor(() => out.video.length >= 2);
    expect(typeof out.video[0]!.recycle).toBe('function');
    // A buffer that went back to the worker is detached here (transferred with the next render request).
    const reused = (frames: VideoFrame[]) => frames.some((f) => f.data.byteLength === 0);
    const early: VideoFrame[] = [];
    const keeper: VideoFrame[] = [];
    await startSession({
      videoSinks: [
        {
          writeVideo: (f) => {
            early.push(f);
            f.recycle?.();
          },
        },
        { writeVideo: (f) => void keeper.push(f) },
      ],
    });
    await waitFor(() => keeper.length >= 10);
    // One reader still holds every buffer: none may go back.
    expect(early.every((f) => typeof f.recycle === 'function' && f.transferred === true)).toBe(true);
    expect(reused(keeper)).toBe(false);
    const first: VideoFrame[] = [];
    await startSession({
      videoSinks: [
        {
          writeVideo: (f) => {
            first.push(f);
            f.recycle?.();
          },
        },
        { writeVideo: (f) => f.recycle?.() },
      ],
    });
    await waitFor(() => reused(first));
  });

  it('renders idle frames at 25 fps with continuous silent audio before any speech', async () => {
    const { session, out } = await startSession();
    await sleep(400);
    expect(out.video.length).toBeGreaterThanOrEqual(7);
    expect(out.audio.length).toBeGreaterThanOrEqual(out.video.length);
    expect(out.audio.every((chunk) => chunk.pcm.length === 640 && chunk.pcm.every((s) => s === 0))).toBe(
      true,
    );
    expect(out.started).toEqual([]);
    expect(session.speaking).toBe(false);
  });

  it('shows each frame of speech with the audio of the same pts (audio and video agree)', async () => {
    const { session, out } = await startSession();
    await sleep(100);
    session.pushAudio(numberedSpeech(20), { keyframes: numberedKeyframes(20) });
    session.endSegment();
    await waitFor(() => out.stopped.length === 1);
    await session.close();
    const audioByPts = new Map(out.audio.map((chunk) => [chunk.ptsMs, chunk.pcm[0] ?? 0]));
    const speechFrames = out.video.filter((frame) => (audioByPts.get(frame.ptsMs) ?? 0) > 0);
    expect(speechFrames.length).toBeGreaterThanOrEqual(18);
    for (const frame of speechFrames) {
      const k = audioByPts.get(frame.ptsMs)! - 1;
      expect(readSolidColourFrame(frame).jawOpen).toBeCloseTo(((k % 9) + 1) / 10, 2);
      expect(readSolidColourFrame(frame).frameIndexMod256).toBe((frame.ptsMs / 40) % 256);
    }
    const pts = out.video.map((frame) => frame.ptsMs);
    expect(pts).toEqual([...pts].sort((a, b) => a - b));
    expect(new Set(pts).size).toBe(pts.length);
    // Audio leaves every 40 ms with no gap or overlap on the shared clock.
    expect(out.audio.map((chunk) => chunk.ptsMs)).toEqual(out.audio.map((_, i) => i * 40));
  });

  it('starts speech that arrives between ticks on its way at once, yet writes it at its due time', async () => {
    for (const earlyTicks of [true, false]) {
      const writes: { kind: string; ptsMs: number; at: number }[] = [];
      let push: (() => void) | undefined;
      const { session } = await startSession({
        earlyTicks,
        videoSinks: [{ writeVideo: (f) => void writes.push({ kind: 'video', ptsMs: f.ptsMs, at: now() }) }],
        audioSinks: [
          {
            writeAudio: (chunk) => {
              writes.push({ kind: chunk.idle ? 'idle' : 'speech', ptsMs: chunk.ptsMs, at: now() });
              // Just after an idle tick: the next one is nearly a frame away.
              if (chunk.ptsMs === 200 && push) setImmediate(push);
            },
          },
        ],
      });
      push = () => {
        session.pushAudio(numberedSpeech(5));
        session.endSegment();
      };
      await waitFor(() => session.stats.output.audioToFrameStagesMs.dueToTick.length === 1);
      await waitFor(() => writes.filter((w) => w.kind === 'speech').length === 5);
      await session.close();
      const dueToTick = session.stats.output.audioToFrameStagesMs.dueToTick[0]!;
      // Early: its tick ran about a frame before it was due; without, at (or after) its due time.
      if (earlyTicks) expect(dueToTick).toBeLessThan(-10);
      else expect(dueToTick).toBeGreaterThanOrEqual(0);
      // Nothing leaves before its due time (1 ms: timer granularity), audio and video of one pts together.
      for (const w of writes) expect(w.at).toBeGreaterThanOrEqual(session.clock.dueTimeOf(w.ptsMs) - 1);
      const speech = writes.filter((w) => w.kind === 'speech').map((w) => w.ptsMs);
      expect(speech).toEqual([240, 280, 320, 360, 400]);
      const audioPts = writes.filter((w) => w.kind !== 'video').map((w) => w.ptsMs);
      expect(audioPts).toEqual(audioPts.map((_, i) => i * 40));
    }
  });

  it("moves the grid at a reply's start when asked and every sink takes media as it comes, only then", async () => {
    useReplyRephase(true);
    onTestFinished(() => useReplyRephase(false));
    for (const rephasable of [true, false]) {
      const writes: { kind: string; ptsMs: number; at: number }[] = [];
      let push: (() => void) | undefined;
      let pushedAt = 0;
      let oldDue = 0;
      const { session } = await startSession({
        videoSinks: [
          { rephasable, writeVideo: (f) => void writes.push({ kind: 'video', ptsMs: f.ptsMs, at: now() }) },
        ],
        audioSinks: [
          {
            rephasable: true,
            writeAudio: (chunk) => {
              writes.push({ kind: chunk.idle ? 'idle' : 'speech', ptsMs: chunk.ptsMs, at: now() });
              if (chunk.ptsMs === 200 && push) setImmediate(push);
            },
          },
        ],
      });
      push = () => {
        pushedAt = now();
        oldDue = session.clock.dueTimeOf(240);
        session.pushAudio(numberedSpeech(5));
        session.endSegment();
      };
      await waitFor(() => writes.filter((w) => w.kind === 'speech').length === 5);
      await session.close();
      const first = writes.find((w) => w.kind === 'speech')!;
      expect(first.ptsMs).toBe(240);
      if (rephasable) {
        // Due (and written) at once, well before the grid it replaced would have let it go.
        expect(session.clock.dueTimeOf(240)).toBeLessThan(oldDue - 10);
        expect(first.at).toBeLessThan(oldDue - 10);
        expect(session.stats.clock.rephases).toBe(1);
        expect(first.at - pushedAt).toBeLessThan(40);
      } else {
        expect(first.at).toBeGreaterThanOrEqual(oldDue - 1);
        expect(session.stats.clock.rephases).toBe(0);
      }
      // pts stay 40 ms apart, audio without gap or overlap, nothing before its (new) due time.
      const audioPts = writes.filter((w) => w.kind !== 'video').map((w) => w.ptsMs);
      expect(audioPts).toEqual(audioPts.map((_, i) => i * 40));
      for (const w of writes) expect(w.at).toBeGreaterThanOrEqual(session.clock.dueTimeOf(w.ptsMs) - 1);
    }
  });

  it('emits speaking.started and speaking.stopped {interrupted: false} around each utterance', async () => {
    const { session, out } = await startSession();
    session.pushAudio(numberedSpeech(5), { segmentId: 'one' });
    session.endSegment('one');
    await waitFor(() => out.stopped.length === 1);
    await sleep(120);
    session.pushAudio(numberedSpeech(3), { segmentId: 'two' });
    session.endSegment('two');
    await waitFor(() => out.stopped.length === 2);
    expect(out.started.map((e) => e.segmentId)).toEqual(['one', 'two']);
    expect(out.stopped.map((e) => [e.segmentId, e.interrupted, e.playedMs])).toEqual([
      ['one', false, 200],
      ['two', false, 120],
    ]);
    expect(out.stopped[0]!.ptsMs - out.started[0]!.ptsMs).toBe(200);
    expect(session.speaking).toBe(false);
  });

  it('ends chunked speech that never sends an end once the queue stays empty past the hangover', async () => {
    const { session, out } = await startSession({ hangoverMs: 80 });
    session.pushAudio(numberedSpeech(3));
    session.pushAudio(numberedSpeech(2));
    await waitFor(() => out.stopped.length === 1);
    expect(out.started.length).toBe(1);
    expect(out.stopped[0]!.interrupted).toBe(false);
    expect(out.stopped[0]!.playedMs).toBe(200);
    // The next chunk starts a new segment.
    session.pushAudio(numberedSpeech(2));
    await waitFor(() => out.started.length === 2);
    expect(out.started[1]!.segmentId).not.toBe(out.started[0]!.segmentId);
  });

  it('on interrupt drops queued speech, aborts the turn, stops audio at once and rests the mouth within 3 frames', async () => {
    const { session, out } = await startSession({ animator: createEasingTestAnimator() });
    const keyframes = numberedKeyframes(100).map((k) => ({ ...k, jawOpen: 0.9 }));
    session.pushAudio(numberedSpeech(100), { keyframes });
    const signal = session.turnSignal;
    await waitFor(() => out.video.filter((f) => readSolidColourFrame(f).jawOpen > 0.8).length >= 3);
    const interruptPts = session.clock.nextPtsMs;
    session.interrupt();
    expect(signal.aborted).toBe(true);
    expect(session.turnSignal.aborted).toBe(false);
    expect(session.stats.queuedMs).toBe(0);
    expect(out.stopped).toMatchObject([{ interrupted: true }]);
    await waitFor(() => out.video.some((f) => f.ptsMs >= interruptPts + 160));
    const after = out.video
      .filter((f) => f.ptsMs >= interruptPts)
      .map((f) => readSolidColourFrame(f).jawOpen);
    expect(after[0]).toBeGreaterThan(0.1);
    expect(after[2]).toBeLessThan(0.05);
    expect(after.slice(2).every((jaw) => jaw < 0.05)).toBe(true);
    const audioAfter = out.audio.filter((chunk) => chunk.ptsMs >= interruptPts);
    expect(audioAfter.length).toBeGreaterThan(0);
    expect(audioAfter.every((chunk) => chunk.pcm.every((s) => s === 0))).toBe(true);
  });

  it('analyses long audio a slice per turn of the event loop, and stops at an interrupt', async () => {
    const slices: number[] = [];
    const lipSync: LipSync = {
      push(pcm) {
        slices.push(pcm.length);
        // As slow as real analysis of 160 ms of audio, ~3 ms.
        const until = performance.now() + 3;
        while (performance.now() < until);
        return [];
      },
      reset() {},
    };
    const { session } = await startSession({ lipSync });
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    session.pushAudio(new Int16Array(16_000 * 10));
    // Slices run at once only up to the turn's budget (4 ms); the rest wait for later turns, so this thread is
    // free in between.
    expect(slices.length).toBeLessThanOrEqual(2);
    await sleep(5);
    session.interrupt();
    const analysed = slices.length;
    await sleep(50);
    clearInterval(counter);
    expect(analysed).toBeLessThan(62);
    expect(slices.length).toBe(analysed);
    expect(Math.max(...slices)).toBe(2_560);
    expect(turns).toBeGreaterThan(0);
  });

  it('leaves chunks that arrive together past the turn budget to later turns, in order', async () => {
    const seen: number[] = [];
    const lipSync: LipSync = {
      push(pcm) {
        seen.push(pcm[0]!);
        const until = performance.now() + 3;
        while (performance.now() < until);
        return [];
      },
      reset() {},
    };
    const { session } = await startSession({ lipSync });
    session.pushAudio(new Int16Array(1_600).fill(1));
    for (let k = 2; k <= 6; k++) session.pushAudio(new Int16Array(1_600).fill(k));
    expect(seen.length).toBeLessThanOrEqual(2);
    await waitFor(() => seen.length === 6);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('runs injected lip-sync on arrival and shows its keyframes on the frames they describe', async () => {
    const calls: string[] = [];
    // Test double with one frame of look-ahead: keyframe k comes out once frame k + 1 has been pushed.
    let buffered: Int16Array = new Int16Array(0);
    let emitted = 0;
    const keyframeFor = (k: number, pcm: Int16Array): MouthKeyframe => ({
      ...restMouth,
      jawOpen: (pcm[k * 640] ?? 0) / 10,
      ptsMs: k * 40,
    });
    const lipSync: LipSync = {
      push(pcm) {
        calls.push('push');
        const joined = new Int16Array(buffered.length + pcm.length);
        joined.set(buffered);
        joined.set(pcm, buffered.length);
        buffered = joined;
        const ready = Math.floor(buffered.length / 640) - 1;
        const out: MouthKeyframe[] = [];
        for (; emitted < ready; emitted++) out.push(keyframeFor(emitted, buffered));
        return out;
      },
      flush() {
        calls.push('flush');
        const out: MouthKeyframe[] = [];
        for (; emitted < Math.ceil(buffered.length / 640); emitted++)
          out.push(keyframeFor(emitted, buffered));
        return out;
      },
      reset() {
        calls.push('reset');
        buffered = new Int16Array(0);
        emitted = 0;
      },
    };
    const { session, out } = await startSession({ lipSync });
    session.pushAudio(numberedSpeech(6).map((s) => (s === 0 ? 0 : 7 - s)));
    session.endSegment();
    await waitFor(() => out.stopped.length === 1);
    await sleep(80);
    // 6 frames of audio are more than one slice (4 frames), so they are analysed in two turns.
    expect(calls).toEqual(['reset', 'push', 'push', 'flush']);
    const jaws = out.video.map((f) => Math.round(readSolidColourFrame(f).jawOpen * 10)).filter((j) => j > 0);
    expect(jaws).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('rejects more than 120 s of queued audio with QUEUE_FULL and keeps what was queued', async () => {
    const { session } = await startSession();
    session.pushAudio(new Int16Array(16_000 * 100));
    const error = (() => {
      try {
        session.pushAudio(new Int16Array(16_000 * 30));
      } catch (caught) {
        return caught;
      }
    })();
    expect(isLiveError(error, 'QUEUE_FULL')).toBe(true);
    expect(session.stats.queuedMs).toBeGreaterThan(99_000);
    expect(() => session.pushAudio(new Int16Array(0))).toThrowError(/non-empty/);
    expect(() => session.pushAudio(new Int16Array(10), { sampleRate: 48_000 })).toThrowError(/16000 Hz/);
  });

  it('counts dropped frames instead of queuing when the renderer cannot keep up', async () => {
    const { session } = await startSession({
      renderer: solidColourRendererSpec({ width: 8, height: 8, costMs: 100 }),
    });
    await sleep(900);
    const { render } = session.stats;
    expect(render.dropped).toBeGreaterThan(5);
    expect(render.rendered).toBeLessThan(12);
  });

  it('renders every frame, none dropped, when rendering to a file (not realtime)', async () => {
    const { session, out } = await startSession({
      realtime: false,
      renderer: solidColourRendererSpec({ width: 8, height: 8, costMs: 60 }),
    });
    session.pushAudio(numberedSpeech(10), { keyframes: numberedKeyframes(10) });
    session.endSegment();
    await session.whenIdle();
    await session.close();
    expect(session.stats.render.dropped).toBe(0);
    const pts = out.video.map((f) => f.ptsMs);
    expect(pts).toEqual(pts.map((_, i) => i * 40));
    expect(out.video.filter((f) => readSolidColourFrame(f).jawOpen > 0).length).toBe(10);
  });

  it('releases every timer and worker on close()', async () => {
    const countByType = () => {
      const counts: Record<string, number> = {};
      for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
      return counts;
    };
    await sleep(50);
    const baseline = countByType();
    const { session } = await startSession();
    session.pushAudio(numberedSpeech(50));
    await sleep(100);
    expect(countByType().MessagePort ?? 0).toBeGreaterThan(baseline.MessagePort ?? 0);
    await session.close();
    await session.close();
    await sleep(50);
    // Nothing the session started is left: no timer, no worker port.
    for (const [type, count] of Object.entries(countByType()))
      expect(count).toBeLessThanOrEqual(baseline[type] ?? 0);
    expect(() => session.pushAudio(numberedSpeech(1))).toThrowError(/closed/);
  });

  it('shares a pool between sessions and leaves it open when a session closes', async () => {
    const pool = new RenderWorkerPool({ size: 2 });
    pools.push(pool);
    const a = await startSession({ pool });
    const b = await startSession({ pool });
    expect(pool.load.map((w) => w.lanes)).toEqual([1, 1]);
    await a.session.close();
    expect(pool.load.map((w) => w.lanes)).toEqual([0, 1]);
    const before = b.out.video.length;
    await sleep(120);
    expect(b.out.video.length).toBeGreaterThan(before);
  });
});
