import type { Rig } from '../face/rig.js';
import { drawGaze } from './eye-gaze.js';
import type { EyeRegion } from './eye-regions.js';
import { drawEyelid } from './eyelids.js';
import type { LensMask } from './lens-fill.js';
import { whiteBelowLowerLid } from './lower-lid-white.js';
import type { WarpMesh } from './warp-mesh.js';
import type { Rect } from './warp-raster.js';

// What a frame draws over the warped eyes: the iris moved by gaze (both eyes) and each closing lid, from the
// frame's mesh positions. Contours are gathered into scratch kept per renderer (a blink makes no arrays).

/** `out[i] = dest[list[i]] - minus[list[i]]·k` for the first `count` points (x, y interleaved). */
export function gatherPoints(
  dest: Float32Array,
  list: readonly number[],
  count: number,
  out: Float32Array,
  minus?: Float32Array,
  k = 0,
): void {
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    out[i * 2] = dest[p * 2]! - (minus ? minus[p * 2]! * k : 0);
    out[i * 2 + 1] = dest[p * 2 + 1]! - (minus ? minus[p * 2 + 1]! * k : 0);
  }
}

interface Lid {
  up: readonly number[];
  low: readonly number[];
  basis: Float32Array;
  /** The ring over the upper lid's margin: the eyelid reads how far the warp stretched the lid between them. */
  crease: readonly number[];
  n: number;
  open: Float32Array;
  shut: Float32Array;
  lower: { points: Float32Array; count: number };
  /** Per lower-lid point, rows of the photo's eye white under it (the closed lid reaches over them). */
  white: Float32Array;
  creaseNow: { open: Float32Array; now: Float32Array } | undefined;
}

export interface FrameEyes {
  /** Redraws both eyes' openings with the iris moved by (gx, gy); each drawn rect goes to `drawnRect`. */
  gaze(dest: Float32Array, gx: number, gy: number, mask: LensMask, drawnRect: (r: Rect) => void): void;
  /** Draws each lid whose closure is at least 0.05 (right, left). */
  lids(dest: Float32Array, right: number, left: number, mask: LensMask, drawnRect: (r: Rect) => void): void;
}

export function createFrameEyes(
  rig: Rig,
  mesh: WarpMesh,
  eyes: readonly EyeRegion[],
  frame: Int32Array,
  base: Int32Array,
): FrameEyes {
  const w = rig.width;
  const h = rig.height;
  const lid = (
    up: readonly number[],
    low: readonly number[],
    basis: Float32Array,
    crease: readonly number[],
  ) => {
    const n = Math.min(up.length, low.length);
    return {
      up,
      low,
      basis,
      crease,
      n,
      open: new Float32Array(n * 2),
      shut: new Float32Array(n * 2),
      lower: { points: new Float32Array(low.length * 2), count: low.length },
      white: whiteBelowLowerLid(base, w, h, mesh.rest, low),
      creaseNow:
        crease.length >= n ? { open: new Float32Array(n * 2), now: new Float32Array(n * 2) } : undefined,
    } satisfies Lid;
  };
  const lids: Lid[] = [
    lid(mesh.rightLidUpper, mesh.rightLidLower, mesh.bases.blinkRight, rig.regions.rightEyeUpper1 ?? []),
    lid(mesh.leftLidUpper, mesh.leftLidLower, mesh.bases.blinkLeft, rig.regions.leftEyeUpper1 ?? []),
  ];
  const offset: [number, number] = [0, 0];
  return {
    gaze(dest, gx, gy, mask, drawnRect) {
      for (const e of eyes) {
        gatherPoints(dest, e.up, e.n, e.upper);
        gatherPoints(dest, e.low, e.n, e.lower);
        const a = e.up[0]!;
        const z = e.up[e.n - 1]!;
        offset[0] = (dest[a * 2]! - mesh.rest[a * 2]! + dest[z * 2]! - mesh.rest[z * 2]!) / 2;
        offset[1] = (dest[a * 2 + 1]! - mesh.rest[a * 2 + 1]! + dest[z * 2 + 1]! - mesh.rest[z * 2 + 1]!) / 2;
        drawnRect(drawGaze(frame, base, w, h, e.shape, e.upper, e.lower, offset, gx, gy, mask));
      }
    },
    lids(dest, right, left, mask, drawnRect) {
      for (let i = 0; i < 2; i++) {
        const closure = i === 0 ? right : left;
        if (closure < 0.05) continue;
        const l = lids[i]!;
        gatherPoints(dest, l.up, l.n, l.open, l.basis, closure);
        gatherPoints(dest, l.up, l.n, l.shut);
        gatherPoints(dest, l.low, l.low.length, l.lower.points);
        // As the lids meet (past 0.6 of closure, as eyelids.ts closes them), over the white under the landmarks.
        const meet = Math.max(0, Math.min(1, (closure - 0.6) / 0.4));
        for (let k = 0; k < l.low.length; k++) l.lower.points[k * 2 + 1]! += l.white[k]! * meet;
        if (l.creaseNow) {
          gatherPoints(dest, l.crease, l.n, l.creaseNow.open, l.basis, closure);
          gatherPoints(dest, l.crease, l.n, l.creaseNow.now);
        }
        drawnRect(
          drawEyelid(
            frame,
            w,
            h,
            l.open,
            l.shut,
            l.n,
            rig.colors.eyelid,
            closure,
            mask,
            l.lower,
            l.creaseNow,
          ),
        );
      }
    },
  };
}
