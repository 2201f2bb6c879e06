// Seeded randomness for the animator and the drawn avatars: every "random" motion or stroke must replay
// identically for a given seed (tests, the idle loop that is rendered once and cached, avatars drawn alike).

/** mulberry32: tiny, fast, good enough for animation jitter. Returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Smooth 1-D value noise in [-1, 1]: random values on integer knots, joined with a smoothstep so velocity is
 * continuous at the knots (no visible jerks in head motion).
 */
export function createSmoothNoise(random: () => number, knots = 64): (t: number) => number {
  const values = Float64Array.from({ length: knots }, () => random() * 2 - 1);
  return (t: number) => {
    const i = Math.floor(t);
    const f = t - i;
    const a = values[((i % knots) + knots) % knots]!;
    const b = values[(((i + 1) % knots) + knots) % knots]!;
    const s = f * f * (3 - 2 * f);
    return a + (b - a) * s;
  };
}
