// Eyelid closure over one blink. Real blinks close fast and reopen slower; total 150-250 ms.

/** Closure 0..1 at `t` ms into a blink lasting `durationMs`. */
export function blinkClosure(t: number, durationMs: number): number {
  if (t <= 0 || t >= durationMs) return 0;
  const closeMs = durationMs * 0.38;
  if (t < closeMs) {
    const u = t / closeMs;
    return u * u * (3 - 2 * u);
  }
  const u = (t - closeMs) / (durationMs - closeMs);
  const open = 1 - u;
  return open * open * (3 - 2 * open);
}

export interface BlinkEvent {
  startMs: number;
  durationMs: number;
}

/**
 * Natural blink timing: gaps of 2-6 s, and about one in six blinks followed quickly by a second one.
 * Returns blinks covering [fromMs, toMs).
 */
export function scheduleBlinks(
  random: () => number,
  fromMs: number,
  toMs: number,
  minGapMs = 2000,
  maxGapMs = 6000,
): BlinkEvent[] {
  const events: BlinkEvent[] = [];
  let t = fromMs + 300 + random() * 1200;
  while (t < toMs) {
    const durationMs = 150 + random() * 100;
    events.push({ startMs: t, durationMs });
    if (random() < 0.17) {
      const second = t + durationMs + 80 + random() * 120;
      const d2 = 150 + random() * 80;
      if (second + d2 < toMs) events.push({ startMs: second, durationMs: d2 });
      t = second + d2;
    }
    t += minGapMs + random() * (maxGapMs - minGapMs);
  }
  return events;
}

/** Closure at `t` from a list of blink events (0 when none is active). */
export function closureAt(events: readonly BlinkEvent[], t: number): number {
  let c = 0;
  for (const e of events) {
    if (t > e.startMs && t < e.startMs + e.durationMs)
      c = Math.max(c, blinkClosure(t - e.startMs, e.durationMs));
  }
  return c;
}
