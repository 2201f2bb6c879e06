import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaPacer } from './media-pacer.js';

const RATE = 1_000; // 10 samples per 10 ms chunk keeps the arrays readable.
const chunk = (value: number) => new Int16Array(10).fill(value);

describe('MediaPacer', () => {
  let sent: { at: number; kind: 'video' | 'audio'; value: number }[];
  let pacer: MediaPacer<string>;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    pacer = new MediaPacer<string>({
      sampleRate: RATE,
      latencyMs: 20,
      now: () => Date.now(),
      sink: {
        video: (frame) => sent.push({ at: Date.now(), kind: 'video', value: Number(frame) }),
        audio: (samples) => sent.push({ at: Date.now(), kind: 'audio', value: samples[0] ?? 0 }),
      },
    });
  });
  afterEach(() => {
    pacer.stop();
    vi.useRealTimers();
  });

  it('releases video and audio at their timestamps plus the latency, on one clock', () => {
    const t0 = Date.now();
    pacer.pushVideo('0', 1_000);
    pacer.pushVideo('40', 1_040);
    for (let i = 0; i < 8; i++) pacer.pushAudio(chunk(100 + i), 1_000 + i * 10);
    vi.advanceTimersByTime(100);
    const video = sent.filter((s) => s.kind === 'video');
    expect(video.map((v) => [v.value, v.at - t0])).toEqual([
      [0, 20],
      [40, 60],
    ]);
    const audio = sent.filter((s) => s.kind === 'audio' && s.value >= 100);
    expect(audio.map((a) => a.value)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(audio[0]!.at - t0).toBe(20);
    expect(audio[4]!.at - t0).toBe(60);
  });

  it('fills gaps with silence so audio never stops, and plays late audio instead of losing it', () => {
    pacer.pushVideo('0', 0);
    vi.advanceTimersByTime(200);
    expect(pacer.stats.silenceSent).toBeGreaterThanOrEqual(19);
    const silenceBefore = pacer.stats.silenceSent;
    // 30 ms late: still played, in order, on the next ticks.
    pacer.pushAudio(chunk(7), 150);
    pacer.pushAudio(chunk(8), 160);
    vi.advanceTimersByTime(30);
    expect(sent.filter((s) => s.value === 7 || s.value === 8).map((s) => s.value)).toEqual([7, 8]);
    expect(pacer.stats.audioSent).toBe(2);
    expect(pacer.stats.silenceSent).toBe(silenceBefore + 1);
  });

  it('keeps only the newest frame when two come due on the same tick', () => {
    pacer.pushVideo('0', 0);
    // Ticks run every 10 ms; 101 and 109 both become due on the tick at media time 110.
    pacer.pushVideo('101', 101);
    pacer.pushVideo('109', 109);
    vi.advanceTimersByTime(200);
    expect(sent.filter((s) => s.kind === 'video').map((s) => s.value)).toEqual([0, 109]);
    expect(pacer.stats.videoDropped).toBe(1);
  });

  it('re-anchors when the timestamps jump (the pusher restarted its clock)', () => {
    pacer.pushVideo('0', 0);
    vi.advanceTimersByTime(100);
    const t = Date.now();
    pacer.pushVideo('9', 90_000);
    vi.advanceTimersByTime(30);
    expect(pacer.stats.rebases).toBe(1);
    expect(sent.find((s) => s.value === 9)?.at).toBe(t + 20);
  });

  it('stops ticking when stopped', () => {
    pacer.pushVideo('0', 0);
    vi.advanceTimersByTime(50);
    pacer.stop();
    const count = sent.length;
    vi.advanceTimersByTime(500);
    expect(sent.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
  });
});
