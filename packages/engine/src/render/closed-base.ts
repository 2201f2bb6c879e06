import type { Rig } from '../face/rig.js';
import { drawClosedSeam } from './closed-seam.js';
import type { WarpMesh } from './warp-mesh.js';
import { warpTriangle } from './warp-raster.js';

// The photo warped once into the rig's closed-mouth pose (closed-pose.ts): this is what rest parameters show,
// so the closed mouth costs nothing per frame. Where the lips meet, a shaded band
// (closed-seam.ts): closed lips press together into a shadow, and it hides the slivers left of the photo's opening.

export function closedBaseImage(
  photo: Int32Array,
  rig: Rig,
  mesh: WarpMesh,
  photoRest: Float32Array,
): Int32Array {
  const { width: w, height: h } = rig;
  const out = photo.slice();
  const tris = mesh.triangles;
  const moved = (p: number) =>
    photoRest[p * 2] !== mesh.rest[p * 2] || photoRest[p * 2 + 1] !== mesh.rest[p * 2 + 1];
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t]!;
    const b = tris[t + 1]!;
    const c = tris[t + 2]!;
    if (moved(a) || moved(b) || moved(c)) warpTriangle(out, photo, w, h, mesh.rest, photoRest, a, b, c);
  }
  drawClosedSeam(out, w, h, mesh, rig.colors.lip);
  return out;
}
