import type { AudioChunk, VideoFrame } from '@agenthuman/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlignedSinks, type QueuedAudio } from './av-alignment.js';

// The audio side is a stand-in whose queue depth the test sets (the real LiveKitAudioSink's estimate is covered in
// media-sinks.test.ts); the clock is vitest's fake one, so holds are exact.
afterEach(() => vi.useRealTimers());

function rig(queuedMs: number, maxHoldMs?: number, videoDelayMs = 0) {
  vi.useFakeTimers();
  const audio: QueuedAudio & { queuedMs: number; chunks: number[]; cleared: number } = {
    queuedMs,
    chunks: [],
    cleared: 0,
    writeAudio: (chunk: AudioChunk) => void audio.chunks.push(chunk.ptsMs),
    clearAudio: () => void audio.cleared++,
  };
  const sent: { ptsMs: number; at: number }[] = [];
  const recycled: number[] = [];
  const aligned = new AlignedSinks(
    audio,
    { writeVideo: (frame) => void sent.push({ ptsMs: frame.ptsMs, at: Date.now() }) },
    {
      now: () => Date.now(),
      ...(maxHoldMs !== undefined && { maxHoldMs }),
      videoDelayMs,
    },
  );
  const frame = (ptsMs: number): VideoFrame => ({
    width: 2,
    height: 2,
    format: 'i420',
    data: new Uint8Array(6),
    ptsMs,
    recycle: () => void recycled.push(ptsMs),
  });
  const chunk = (ptsMs: number): AudioChunk => ({ pcm: new Int16Array(640), sampleRate: 16_000, ptsMs });
  return { audio, aligned, sent, recycled, frame, chunk, start: Date.now() };
}

/**
 * What the real sink does with a reply's first audio: it drops the idle silence still queued (`droppedMs` of
 * it counted in skippedIdleMs when given), and the reply's 40 ms take its place.
 */
function dropIdleSilenceOnWrite(audio: ReturnType<typeof rig>['audio'], droppedMs?: number) {
  const counted = audio as typeof audio & { skippedIdleMs?: number };
  if (droppedMs !== undefined) counted.skippedIdleMs = 0;
  audio.writeAudio = (written: AudioChunk) => {
    audio.chunks.push(written.ptsMs);
    if (droppedMs !== undefined) counted.skippedIdleMs = (counted.skippedIdleMs ?? 0) + droppedMs;
    audio.queuedMs = 40;
  };
}

describe('AlignedSinks', () => {
  it('holds a frame until the audio of its pts leaves the audio queue', () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(50);
    aligned.audio.writeAudio(chunk(400));
    expect(audio.chunks).toEqual([400]);
    vi.advanceTimersByTime(10);
    // Rendered 10 ms after its audio was handed over, with 50 ms queued ahead of that audio: 40 ms to wait.
    aligned.video.writeVideo(frame(400));
    vi.advanceTimersByTime(39);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ ptsMs: 400, at: start + 50 }]);
    expect(aligned.held).toBe(1);
  });

  it("holds a reply's first frame from its audio's real departure when the clock moved its grid", () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(0, undefined, 40);
    // The pipeline may rephase only because both sinks take media as it comes.
    expect([aligned.audio.rephasable, aligned.video.rephasable]).toEqual([true, true]);
    aligned.audio.writeAudio({ ...chunk(360), idle: true });
    audio.queuedMs = 40;
    // The reply's first tick, moved 30 ms earlier than the grid's pts 400 would have been (10 ms, not 40, after
    // pts 360); its audio dropped the idle silence, so it leaves at once.
    vi.advanceTimersByTime(10);
    dropIdleSilenceOnWrite(audio, 30);
    audio.queuedMs = 30;
    aligned.audio.writeAudio(chunk(400));
    aligned.video.writeVideo(frame(400));
    vi.advanceTimersByTime(39);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ ptsMs: 400, at: start + 50 }]);
  });

  it("does not hold a reply's first frame for the idle silence its audio dropped from the queue", () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(50, undefined, 40);
    // The real sink drops the 50 ms of idle silence queued ahead of a reply's first audio: 40 ms remain, its own.
    dropIdleSilenceOnWrite(audio, 30);
    audio.queuedMs = 30;
    aligned.audio.writeAudio(chunk(400));
    vi.advanceTimersByTime(10);
    aligned.video.writeVideo(frame(400));
    // Its audio leaves at once: the frame waits only videoDelayMs from then (30 ms more), not 50 ms longer.
    vi.advanceTimersByTime(29);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ ptsMs: 400, at: start + 40 }]);
  });

  it('sends a frame rendered ahead of its tick with its audio, once that audio drops the idle silence', () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(50, undefined, 40);
    aligned.audio.writeAudio({ ...chunk(360), idle: true });
    // The frame of 400 arrives before its audio (its tick ran early): timed behind the 50 ms queued, 130 ms.
    vi.advanceTimersByTime(5);
    aligned.video.writeVideo(frame(400));
    vi.advanceTimersByTime(35);
    dropIdleSilenceOnWrite(audio);
    // At its due time its audio comes and drops the silence: it leaves now, the frame 40 ms after.
    aligned.audio.writeAudio(chunk(400));
    vi.advanceTimersByTime(39);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ ptsMs: 400, at: start + 80 }]);
  });

  it('maps later pts from the last chunk, and sends at once a frame whose audio has already left', () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(20);
    aligned.audio.writeAudio(chunk(400));
    audio.queuedMs = 60;
    aligned.audio.writeAudio(chunk(440));
    // The frame of 400 arrives after the chunk of 440 was written: its audio leaves 40 ms before 440's.
    aligned.video.writeVideo(frame(400));
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ ptsMs: 400, at: start + 20 }]);
    vi.advanceTimersByTime(100);
    aligned.video.writeVideo(frame(440));
    expect(sent.at(-1)).toEqual({ ptsMs: 440, at: start + 200 });
  });

  it('never holds longer than maxHoldMs, nor at all before any audio or after a clear', () => {
    const { aligned, sent, frame, chunk, start, audio } = rig(400, 120);
    aligned.video.writeVideo(frame(0));
    expect(sent).toEqual([{ ptsMs: 0, at: start }]);
    aligned.audio.writeAudio(chunk(40));
    aligned.video.writeVideo(frame(40));
    vi.advanceTimersByTime(200);
    expect(sent.at(-1)).toEqual({ ptsMs: 40, at: start + 120 });
    aligned.audio.clearAudio?.();
    expect(audio.cleared).toBe(1);
    aligned.video.writeVideo(frame(80));
    expect(sent.at(-1)).toEqual({ ptsMs: 80, at: start + 200 });
  });

  it('videoDelayMs holds each frame that much beyond its audio', () => {
    const { aligned, sent, frame, chunk, start } = rig(30, undefined, 40);
    aligned.audio.writeAudio(chunk(0));
    aligned.video.writeVideo(frame(0));
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ ptsMs: 0, at: start + 70 }]);
  });

  it('holds 40 ms beyond the audio by default', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const aligned = new AlignedSinks(
      { queuedMs: 0, writeAudio: () => undefined },
      { writeVideo: () => void sent.push(Date.now()) },
      { now: () => Date.now() },
    );
    const start = Date.now();
    aligned.audio.writeAudio({ pcm: new Int16Array(640), sampleRate: 16_000, ptsMs: 0 });
    aligned.video.writeVideo({ width: 2, height: 2, format: 'i420', data: new Uint8Array(6), ptsMs: 0 });
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([start + 40]);
  });

  it('close drops held frames and gives their buffers back', () => {
    const { aligned, sent, recycled, frame, chunk } = rig(50);
    aligned.audio.writeAudio(chunk(0));
    aligned.video.writeVideo(frame(0));
    aligned.close();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
    expect(recycled).toEqual([0]);
  });
});
