import { type EyeShape, measureEye } from './eye-gaze.js';
import type { WarpMesh } from './warp-mesh.js';

// Per eye, what a glance redraws: the triangles on the eye's contour (its opening) and a ring around them, with the
// eye's measured shape and scratch space for its contour points in a frame.

export interface EyeRegion {
  up: readonly number[];
  low: readonly number[];
  n: number;
  shape: EyeShape;
  core: Uint32Array;
  ring: Uint32Array;
  upper: Float32Array;
  lower: Float32Array;
}

export function buildEyeRegions(
  mesh: WarpMesh,
  restInnerOf: (list: readonly number[], count: number) => Float32Array,
): EyeRegion[] {
  return (
    [
      [mesh.rightLidUpper, mesh.rightLidLower],
      [mesh.leftLidUpper, mesh.leftLidLower],
    ] as const
  ).map(([up, low]) => {
    const n = Math.min(up.length, low.length);
    const shape: EyeShape = measureEye(restInnerOf(up, n), restInnerOf(low, n), n);
    // A glance redraws only the triangles on the eye's contour (the opening) and a ring around them.
    const contour = new Set([...up, ...low]);
    const tris = mesh.triangles;
    const core: number[] = [];
    const corePoints = new Set<number>();
    for (let t = 0; t < tris.length / 3; t++) {
      if (!contour.has(tris[t * 3]!) && !contour.has(tris[t * 3 + 1]!) && !contour.has(tris[t * 3 + 2]!))
        continue;
      core.push(t);
      for (let k = 0; k < 3; k++) corePoints.add(tris[t * 3 + k]!);
    }
    const inCore = new Set(core);
    const ring: number[] = [];
    for (let t = 0; t < tris.length / 3; t++) {
      if (inCore.has(t)) continue;
      if (
        corePoints.has(tris[t * 3]!) ||
        corePoints.has(tris[t * 3 + 1]!) ||
        corePoints.has(tris[t * 3 + 2]!)
      )
        ring.push(t);
    }
    return {
      up,
      low,
      n,
      shape,
      core: Uint32Array.from(core),
      ring: Uint32Array.from(ring),
      upper: new Float32Array(n * 2),
      lower: new Float32Array(n * 2),
    };
  });
}
