// When the pipeline's frames play: audio and video of one pts together, speech started between ticks, the grid
// moved at a reply's start, and injected lip-sync on the frames its keyframes describe.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { type MouthKeyframe, restMouth } from '../animation/params.js';
import { setLiveDefaults } from './live-defaults.js';
import type { LipSync } from './ports.js';
import {
  closeStarted,
  now,
  numberedKeyframes,
  numberedSpeech,
  sleep,
  startSession,
  waitFor,
} from './testing/session-fixture.js';
import { readSolidColourFrame } from './testing/solid-colour-renderer.js';

afterEach(closeStarted);

describe('SessionPipeline timing', () => {
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
    setLiveDefaults({ replyRephase: true });
    onTestFinished(() => setLiveDefaults({ replyRephase: false }));
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
});
