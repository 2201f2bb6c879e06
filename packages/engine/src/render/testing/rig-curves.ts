// For render tests: reading a frame's brightness and a rig's landmark curves (a lid, a lip line) at a column, so
// pixel tests measure beside or under a landmark without each keeping its own copy.
import type { Rig } from '../../face/rig.js';

/** Rec. 601 luma of RGBA pixel `i`. */
export const luma = (f: Uint8Array, i: number): number =>
  0.299 * f[i * 4]! + 0.587 * f[i * 4 + 1]! + 0.114 * f[i * 4 + 2]!;

/** The landmark curve through the mesh points `list` at column x (linear between points; NaN outside it). */
export function curveAt(r: Rig, list: number[], x: number): number {
  for (let i = 0; i + 1 < list.length; i++) {
    const [ax, ay, bx, by] = [
      r.mesh[list[i]! * 2]!,
      r.mesh[list[i]! * 2 + 1]!,
      r.mesh[list[i + 1]! * 2]!,
      r.mesh[list[i + 1]! * 2 + 1]!,
    ];
    if ((x - ax) * (x - bx) <= 0 && ax !== bx) return ay + ((by - ay) * (x - ax)) / (bx - ax);
  }
  return Number.NaN;
}
