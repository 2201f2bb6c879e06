import { describe, expect, it } from 'vitest';
import { FRAME_MS, MediaClock, SAMPLES_PER_FRAME, type Tick } from './media-clock.js';
import { VirtualTime } from './testing/virtual-time.js';

type RanTick = Tick & { at: number };

/** A started clock on virtual time that notes every tick it ran and the virtual time it ran at (`at`). */
function startedClock(lateness?: () => number) {
  const time = new VirtualTime();
  if (lateness) time.lateness = lateness;
  const clock = new MediaClock({ time });
  const ticks: RanTick[] = [];
  clock.start((tick) => {
    ticks.push({ ...tick, at: time.now() });
  });
  return { time, clock, ticks };
}

const pick = <K extends keyof RanTick>(tick: RanTick | undefined, ...keys: K[]) =>
  Object.fromEntries(keys.map((key) => [key, tick?.[key]]));

describe('MediaClock', () => {
  it('keeps tick n at origin + 40·n over 100k ticks when every wake-up is late', () => {
    let seed = 7;
    // Deterministic 0..9 ms wake-up lateness: setInterval-style accumulation would drift by ~450 s here.
    const { time, clock, ticks } = startedClock(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed % 1000) / 100;
    });
    time.advanceTo(100_000 * FRAME_MS);
    clock.stop();
    expect(ticks.length).toBeGreaterThanOrEqual(99_999);
    let maxError = 0;
    for (const tick of ticks) {
      expect(tick.ptsMs).toBe(tick.index * FRAME_MS);
      maxError = Math.max(maxError, tick.lateMs);
    }
    expect(maxError).toBeLessThan(10);
    const last = ticks.at(-1)!;
    expect(last.dueAt).toBe(last.index * FRAME_MS);
  });

  it('runs the next tick early on request, at most one frame ahead, keeping its pts and due time', () => {
    const { time, clock, ticks: ran } = startedClock();
    time.advanceTo(50);
    expect(clock.runNextEarly()).toBe(true);
    expect(pick(ran.at(-1), 'index', 'dueAt', 'lateMs', 'at')).toEqual({
      index: 2,
      dueAt: 80,
      lateMs: -30,
      at: 50,
    });
    // Tick 3 is due at 120, more than a frame away: it waits for its time.
    expect(clock.runNextEarly()).toBe(false);
    time.advanceTo(170);
    clock.stop();
    expect(ran.map((tick) => [tick.index, tick.at])).toEqual([
      [0, 0],
      [1, 40],
      [2, 50],
      [3, 120],
      [4, 160],
    ]);
    expect(clock.stats.lateTicks).toBe(0);
    const files = new MediaClock({ realtime: false, time });
    expect(files.runNextEarly()).toBe(false);
  });

  it('rephases on request: the early tick is due now, later ticks 40 ms after it, pts unchanged', () => {
    const { time, clock, ticks: ran } = startedClock();
    time.advanceTo(50);
    expect(clock.runNextEarly(true)).toBe(true);
    expect(pick(ran.at(-1), 'index', 'ptsMs', 'dueAt', 'lateMs', 'at')).toEqual({
      index: 2,
      ptsMs: 80,
      dueAt: 50,
      lateMs: 0,
      at: 50,
    });
    expect(clock.dueTimeOf(80)).toBe(50);
    expect(clock.stats).toMatchObject({ rephases: 1, rephasedMs: 30 });
    time.advanceTo(170);
    clock.stop();
    expect(ran.map((tick) => [tick.index, tick.at])).toEqual([
      [0, 0],
      [1, 40],
      [2, 50],
      [3, 90],
      [4, 130],
      [5, 170],
    ]);
    expect(clock.stats).toMatchObject({ lateTicks: 0, rephases: 1 });
  });

  it('runs every missed tick after a stall, flags all but the newest as catching up, counts them late', () => {
    const { time, clock, ticks } = startedClock();
    time.advanceTo(200);
    const before = ticks.length;
    time.stall(130);
    time.advanceTo(400);
    clock.stop();
    const indexes = ticks.map((tick) => tick.index);
    expect(indexes).toEqual([...indexes.keys()]);
    const resumed = ticks.slice(before);
    // Woken at 330 ms: ticks 6 and 7 (due 240, 280) catch up, tick 8 (due 320) is the current one.
    expect(resumed.filter((tick) => tick.catchingUp).map((tick) => tick.index)).toEqual([6, 7]);
    expect(clock.stats.lateTicks).toBeGreaterThanOrEqual(2);
    expect(clock.stats.maxLateMs).toBeGreaterThan(FRAME_MS * 2);
  });

  it('ticks back to back in file mode, waiting for each handler', async () => {
    const clock = new MediaClock({ realtime: false });
    const seen: number[] = [];
    let overlapping = 0;
    let running = false;
    await new Promise<void>((resolve) => {
      clock.start(async (tick) => {
        if (running) overlapping++;
        running = true;
        seen.push(tick.ptsMs);
        await new Promise((r) => setImmediate(r));
        running = false;
        if (tick.index === 99) {
          clock.stop();
          resolve();
        }
      });
    });
    expect(overlapping).toBe(0);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i * FRAME_MS));
  });

  it('does not drift on real timers over 2 seconds', async () => {
    const clock = new MediaClock();
    const ticks: Tick[] = [];
    await new Promise<void>((resolve) => {
      clock.start((tick) => {
        ticks.push(tick);
        if (tick.index === 50) resolve();
      });
    });
    clock.stop();
    const last = ticks.at(-1)!;
    // Late by one wake-up at most, not by 50 accumulated ones.
    expect(last.lateMs).toBeLessThan(30);
    expect(last.ptsMs).toBe(2000);
  });

  it('pairs each video frame with 640 samples of 16 kHz audio', () => {
    expect(FRAME_MS).toBe(40);
    expect(SAMPLES_PER_FRAME).toBe(640);
  });
});
