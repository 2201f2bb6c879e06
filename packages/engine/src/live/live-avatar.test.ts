// A transport is one sink and one source, attached to a running live avatar through its public interface
// (the package's ./live, ./render and ./testing exports, nothing else). This is the template the LiveKit
// transport follows: FakeRoomSink stands where the LiveKit video/audio tracks go, FakeStreamSource where the
// agent's byte stream of audio arrives (one segment per stream, any sample rate, then an end or an interrupt).
import {
  type AudioChunk,
  type AudioSink,
  type AvatarInput,
  isLiveError,
  LiveAvatar,
  type SegmentPlayed,
  type VideoFrame,
  type VideoSink,
} from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { resampledLength } from '@agenthuman/media';
import { afterAll, describe, expect, it } from 'vitest';

/** FAKE transport sink: records what a room would publish. */
class FakeRoomSink implements VideoSink, AudioSink {
  readonly video: number[] = [];
  readonly audio: AudioChunk[] = [];
  clears = 0;
  writeVideo(frame: VideoFrame): void {
    this.video.push(frame.ptsMs);
  }
  writeAudio(chunk: AudioChunk): void {
    this.audio.push(chunk);
  }
  clearAudio(): void {
    this.clears++;
  }
}

/** FAKE transport source: streams segments into the avatar's entrance and records the avatar's answers. */
class FakeStreamSource {
  readonly started: string[] = [];
  readonly played: SegmentPlayed[] = [];
  interrupts = 0;
  readonly #off: (() => void)[] = [];

  constructor(private readonly input: AvatarInput) {
    const started = ({ segmentId }: { segmentId: string }) => void this.started.push(segmentId);
    const played = (event: SegmentPlayed) => void this.played.push(event);
    const interrupted = () => void this.interrupts++;
    input.on('segment.started', started);
    input.on('segment.played', played);
    input.on('interrupted', interrupted);
    this.#off.push(
      () => input.off('segment.started', started),
      () => input.off('segment.played', played),
      () => input.off('interrupted', interrupted),
    );
  }

  /** One segment: chunks at the source's own rate, then its end. Returns the confirmed samples at 16 kHz. */
  stream(segmentId: string, pcm: Int16Array, sampleRate: number, chunk = sampleRate / 50): number {
    let confirmed = 0;
    for (let at = 0; at < pcm.length; at += chunk) {
      confirmed += this.input.pushAudio(pcm.subarray(at, at + chunk), { sampleRate, segmentId }).audioSamples;
    }
    this.input.endSegment(segmentId);
    return confirmed;
  }

  interrupt(): void {
    this.input.interrupt();
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
  }
}

function tone(sampleRate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(sampleRate * seconds) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / sampleRate)),
  );
}

const waitFor = async (predicate: () => boolean, timeoutMs = 10_000) => {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('LiveAvatar: a transport is one sink and one source', () => {
  const pool = new RenderWorkerPool({ size: 1 });
  afterAll(() => pool.close());
  const start = () =>
    LiveAvatar.start({ avatar: { spec: solidColourRendererSpec({ width: 32, height: 24 }), seed: 7 }, pool });

  it('attaches a sink to a running avatar, plays a source segment at 48 kHz and reports it once', async () => {
    const avatar = await start();
    try {
      // Media runs before the transport joins (a LiveKit room connects after the session starts).
      await new Promise((resolve) => setTimeout(resolve, 100));
      const sink = new FakeRoomSink();
      const detach = avatar.attach({ video: sink, audio: sink });
      await waitFor(() => sink.video.length >= 3 && sink.audio.length >= 3);
      // Idle frames and silence flow on one clock: audio and video carry the same timestamps.
      expect(sink.audio.slice(0, 3).map((c) => c.ptsMs)).toEqual(sink.video.slice(0, 3));
      expect(sink.audio.every((c) => c.sampleRate === 16_000 && c.pcm.length === 640)).toBe(true);

      const source = new FakeStreamSource(avatar);
      const pcm = tone(48_000, 0.5);
      const confirmed = source.stream('seg-a', pcm, 48_000);
      // Confirmations add up to exactly what plays at 16 kHz, whatever the chunking.
      expect(confirmed).toBe(resampledLength(pcm.length, 48_000));
      await waitFor(() => source.played.length === 1);
      expect(source.started).toEqual(['seg-a']);
      const playedMs = Math.ceil(confirmed / 640) * 40;
      expect(source.played).toEqual([
        { segmentId: 'seg-a', playedMs, interrupted: false, ptsMs: expect.any(Number) },
      ]);
      // The media-clock time its audio stopped at: after the whole segment had played.
      expect(source.played[0]!.ptsMs).toBeGreaterThanOrEqual(playedMs);
      const loud = sink.audio.filter((c) => c.pcm.some((s) => Math.abs(s) > 4000)).length;
      expect(loud).toBe(Math.ceil(confirmed / 640));

      // Detached, the sink hears nothing more; the avatar keeps running.
      detach();
      const frames = sink.video.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sink.video.length).toBe(frames);
      source.close();
    } finally {
      await avatar.close();
    }
  });

  it('interrupts within a frame: the playing and the queued segment each report once, the sink drops audio', async () => {
    const avatar = await start();
    try {
      const sink = new FakeRoomSink();
      avatar.attach({ video: sink, audio: sink });
      const source = new FakeStreamSource(avatar);
      const signal = avatar.turnSignal;
      source.stream('seg-b', tone(24_000, 3), 24_000);
      source.stream('seg-c', tone(16_000, 1), 16_000);
      await waitFor(() => source.started.includes('seg-b'));
      await new Promise((resolve) => setTimeout(resolve, 200));

      source.interrupt();
      expect(avatar.speaking).toBe(false);
      expect(avatar.stats.queuedMs).toBe(0);
      expect(signal.aborted).toBe(true);
      expect(sink.clears).toBe(1);
      expect(source.interrupts).toBe(1);
      const [cut, dropped] = source.played;
      expect(cut).toMatchObject({ segmentId: 'seg-b', interrupted: true });
      expect(cut!.playedMs).toBeGreaterThan(0);
      expect(cut!.playedMs).toBeLessThan(3000);
      expect(dropped).toEqual({ segmentId: 'seg-c', playedMs: 0, interrupted: true, ptsMs: 0 });

      // Nothing more plays, and no segment reports twice.
      const after = sink.audio.length;
      await waitFor(() => sink.audio.length >= after + 5);
      expect(sink.audio.slice(after).every((c) => c.pcm.every((s) => s === 0))).toBe(true);
      expect(source.played).toHaveLength(2);
      expect(source.started).toEqual(['seg-b']);
      source.close();
    } finally {
      await avatar.close();
    }
  });

  it('refuses bad input with coded errors and nothing queued', async () => {
    const avatar = await start();
    try {
      const refused = (run: () => unknown) => {
        try {
          run();
        } catch (error) {
          return isLiveError(error) ? error.code : String(error);
        }
        return 'accepted';
      };
      expect(refused(() => avatar.pushAudio(new Int16Array(0), { sampleRate: 16_000 }))).toBe('EMPTY_AUDIO');
      expect(refused(() => avatar.pushAudio(new Int16Array(10), { sampleRate: 96_000 }))).toBe(
        'INVALID_SAMPLE_RATE',
      );
      const twoMinutes = new Int16Array(16_000 * 120);
      expect(refused(() => avatar.speak(twoMinutes))).toBe('accepted');
      expect(refused(() => avatar.pushAudio(new Int16Array(16_000), { sampleRate: 16_000 }))).toBe(
        'QUEUE_FULL',
      );
      await avatar.close();
      expect(refused(() => avatar.speak(new Int16Array(10)))).toBe('SESSION_ENDED');
    } finally {
      await avatar.close();
    }
  });
});
