import { afterEach, describe, expect, it } from 'vitest';
import type { VideoFrame } from '../render/renderer.js';
import { RenderWorkerPool } from '../workers/render-worker-pool.js';
import { isLiveError } from './live-error.js';
import type { LipSync } from './ports.js';
import { createEasingTestAnimator } from './testing/easing-test-animator.js';
import {
  closeStarted,
  numberedKeyframes,
  numberedSpeech,
  pools,
  sleep,
  startSession,
  waitFor,
} from './testing/session-fixture.js';
import { readSolidColourFrame, solidColourRendererSpec } from './testing/solid-colour-renderer.js';

afterEach(closeStarted);

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
