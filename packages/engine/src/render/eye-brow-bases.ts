import type { Rig } from '../face/rig.js';

// The displacement bases of the brows (raised with the skin above the lids) and of the blinks (the upper lid margin
// down to the lower lid).

export function addBrows(rig: Rig, rest: Float32Array, count: number, H: number, out: Float32Array): void {
  for (const side of ['left', 'right'] as const) {
    const brow = [
      ...(rig.regions[`${side}EyebrowUpper`] ?? []),
      ...(rig.regions[`${side}EyebrowLower`] ?? []),
    ];
    const lid = rig.regions[`${side}EyeUpper0`] ?? [];
    if (brow.length === 0 || lid.length === 0) continue;
    const lidTop = Math.min(...lid.map((i) => rest[i * 2 + 1]!));
    const browY = brow.reduce((s, i) => s + rest[i * 2 + 1]!, 0) / brow.length;
    const sigma = 0.09 * H;
    for (let p = 0; p < count; p++) {
      const x = rest[p * 2]!;
      const y = rest[p * 2 + 1]!;
      let g = 0;
      for (const b of brow)
        g = Math.max(
          g,
          Math.exp(-((x - rest[b * 2]!) ** 2 + (y - rest[b * 2 + 1]!) ** 2) / (2 * sigma * sigma)),
        );
      const aboveLid = Math.max(0, Math.min(1, (lidTop - y) / Math.max(1, lidTop - browY)));
      out[p * 2 + 1] = Math.min(out[p * 2 + 1]!, -0.035 * H * g * aboveLid);
    }
  }
}

/** Closing: the upper lid margin comes down to just above the lower lid, the crease follows part way. */
export function addBlink(rig: Rig, rest: Float32Array, eye: 'leftEye' | 'rightEye', out: Float32Array): void {
  const upper = rig.regions[`${eye}Upper0`] ?? [];
  const lower = rig.regions[`${eye}Lower0`] ?? [];
  const crease = rig.regions[`${eye}Upper1`] ?? [];
  const count = Math.min(upper.length, lower.length);
  for (let i = 1; i + 1 < count; i++) {
    const u = upper[i]!;
    const l = lower[i]!;
    const dx = rest[l * 2]! - rest[u * 2]!;
    const dy = rest[l * 2 + 1]! - rest[u * 2 + 1]!;
    out[u * 2] = dx * 0.82;
    out[u * 2 + 1] = dy * 0.82;
    out[l * 2 + 1] = -dy * 0.1;
    const c = crease[i];
    if (c !== undefined) out[c * 2 + 1] = dy * 0.35;
  }
}
