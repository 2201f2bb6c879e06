import type { PhotoRect } from './background-fill.js';
import { fieldAt, type Level, luma, smoothstep } from './fill-pyramid.js';

// Where hair touching a side of the photo ends, for the background fill: the photo's edge cut it along a straight
// line, and fading it there drew that line as a soft vertical edge.

/** Hair covering a side's outer band ends this share of HAIR_BAND (background-fill.ts) from the edge. */
const HAIR_REACH = 0.3;
/** How far the end of a long hair contact wanders in, in HAIR_BAND. */
const HAIR_LOBE_DEPTH = 0.3;

/**
 * Per side facing the fill (left, then right) and row: how far inside the photo hair there ends (px). Where hair
 * covers the outer band of a row it reaches to HAIR_REACH of the band from the edge; where it does not, the whole
 * band; between, the cover smoothed over a band's height of rows, so the hair's end curves in at the top and
 * bottom of its contact with the side like a silhouette instead of running along the edge.
 */
export function hairOutline(
  levels: Level[],
  sigmas: number[],
  photoLuma: Float32Array,
  width: number,
  height: number,
  r: PhotoRect,
  hairBand: number,
  sigma0: number,
): Float32Array {
  const out = new Float32Array(2 * height).fill(hairBand);
  const acc = new Float64Array(4);
  const cover = new Float32Array(height);
  for (const side of [0, 1]) {
    if ((side === 0 && r.x0 <= 0) || (side === 1 && r.x1 >= width)) continue;
    const edge = side === 0 ? r.x0 : r.x1 - 1;
    const reach = Math.min(hairBand, r.x1 - r.x0);
    for (let y = r.y0; y < r.y1; y++) {
      fieldAt(levels, sigmas, acc, edge, y, sigma0);
      const w = acc[3]! + 1e-9;
      const back = luma(acc[0]! / w, acc[1]! / w, acc[2]! / w);
      let hair = 0;
      for (let i = 0; i < reach; i++) {
        const x = side === 0 ? r.x0 + i : r.x1 - 1 - i;
        hair += Math.min(1, Math.max(0, (Math.abs(photoLuma[y * width + x]! - back) - 15) / 30));
      }
      cover[y] = hair / Math.max(1, reach);
    }
    const half = Math.round(hairBand / 2);
    for (let y = r.y0; y < r.y1; y++) {
      let m = 0;
      let n = 0;
      for (let v = Math.max(r.y0, y - half); v <= Math.min(r.y1 - 1, y + half); v++) {
        m += cover[v]!;
        n++;
      }
      const c = smoothstep((m / Math.max(1, n) - 0.1) / 0.5);
      // Along a long contact the end wanders in and out (as locks end), not one straight line: three waves of
      // unrelated lengths, so it never repeats within a frame.
      const p = (2 * Math.PI * y) / hairBand;
      const lobe = 0.5 + (0.6 * Math.sin(p / 1.7 + side) + 0.4 * Math.sin(p / 2.9 + 2.1)) / 2;
      out[side * height + y] = hairBand * (1 - (1 - HAIR_REACH) * c + HAIR_LOBE_DEPTH * c * lobe);
    }
  }
  return out;
}

/** Luma of the frame, 3 × 3 averaged (clamped at the frame's edges). */
export function smoothedLuma(rgba: Uint8ClampedArray, width: number, height: number): Float32Array {
  const l = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) l[i] = luma(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (let v = -1; v <= 1; v++)
        for (let u = -1; u <= 1; u++) {
          const yy = Math.max(0, Math.min(height - 1, y + v));
          const xx = Math.max(0, Math.min(width - 1, x + u));
          m += l[yy * width + xx]!;
        }
      out[y * width + x] = m / 9;
    }
  return out;
}
