// Where the photo's eye white reaches below the landmark lower lid. The landmarks can sit a few pixels inside the
// real opening (the tilted photo's right eye: 5 rows of white under them near its inner corner), and a closing lid
// that stops at the landmark lower lid left that white showing under the lashes: a shut eye that looked still
// half open there. Measured once per renderer on the photo, per lower-lid point, so the closed lid reaches it.

/**
 * Rows of eye white below a point at most; a pixel counts as white under this share of the saturation of the skin
 * under the eye (the rows SKIN_ROWS below the lid) and over this luma.
 */
const MAX_ROWS = 6;
const WHITE_SATURATION = 0.7;
const WHITE_LUMA = 110;
const SKIN_ROWS = 9;
/** Fewer rows than this are the lower lid's light rim, not white the landmarks left out. */
const MIN_ROWS = 4;

function saturation(p: number): number {
  const r = p & 255;
  const g = (p >>> 8) & 255;
  const b = (p >>> 16) & 255;
  const max = Math.max(r, g, b);
  return max === 0 ? 0 : (max - Math.min(r, g, b)) / max;
}

/**
 * Per point of `low` (corner to corner, MediaPipe indices into `rest`), how many rows under the lid's line the photo
 * (`photo`, packed RGBA) still shows eye white, the most over the columns halfway to its neighbours: white is less
 * saturated than the skin under the eye (warmer) and light. The corners themselves get 0.
 */
export function whiteBelowLowerLid(
  photo: Int32Array,
  w: number,
  h: number,
  rest: Float32Array,
  low: readonly number[],
): Float32Array {
  const out = new Float32Array(low.length);
  const px = (i: number) => rest[low[i]! * 2]!;
  const py = (i: number) => rest[low[i]! * 2 + 1]!;
  const skin: number[] = [];
  for (let i = 1; i + 1 < low.length; i++) {
    const x = Math.floor(px(i));
    const y = Math.floor(py(i)) + SKIN_ROWS;
    if (x >= 0 && x < w && y < h) skin.push(saturation(photo[y * w + x]!));
  }
  skin.sort((p, q) => p - q);
  const limit = WHITE_SATURATION * (skin[skin.length >> 1] ?? 0);
  for (let i = 1; i + 1 < low.length; i++) {
    const a = (px(i - 1) + px(i)) / 2;
    const b = (px(i) + px(i + 1)) / 2;
    let most = 0;
    for (let x = Math.ceil(Math.min(a, b) - 0.5); x < Math.max(a, b) - 0.5; x++) {
      if (x < 0 || x >= w) continue;
      // The lid's line at this column's centre, between this point and the neighbour on that side.
      const j = x + 0.5 < px(i) === px(i - 1) < px(i) ? i - 1 : i + 1;
      const t = (x + 0.5 - px(i)) / (px(j) - px(i) || 1);
      const y0 = Math.floor(py(i) + (py(j) - py(i)) * t) + 1;
      let rows = 0;
      for (let y = Math.max(0, y0); y < Math.min(h, y0 + MAX_ROWS); y++) {
        const p = photo[y * w + x]!;
        const luma = 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255);
        if (saturation(p) >= limit || luma <= WHITE_LUMA) break;
        rows++;
      }
      most = Math.max(most, rows);
    }
    // A row or three is the lower lid's own light rim (the waterline), which the shut lid's lashes shade as it is.
    out[i] = most >= MIN_ROWS ? most : 0;
  }
  return out;
}
