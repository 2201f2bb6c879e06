import { afterEach, describe, expect, it } from 'vitest';
import { LiveKitAudioSink } from './media-sinks.js';

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
