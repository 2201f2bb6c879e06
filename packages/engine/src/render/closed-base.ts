import type { Rig } from '../face/rig.js';
import { blendPixel, smoothCurveY } from './lens-fill.js';
import type { WarpMesh } from './warp-mesh.js';
import { warpTriangle } from './warp-raster.js';

// The photo warped once into the rig's closed-mouth pose (closed-pose.ts): this is what rest parameters show,
// so the closed mouth costs nothing per frame. Where the lips meet, a soft dark line: closed lips press
// together into a shadow, and it hides the slivers left of the photo's opening.

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
  drawSeam(out, w, h, mesh, rig.colors.lip);
  return out;
}

function drawSeam(
  out: Int32Array,
  w: number,
  h: number,
  mesh: WarpMesh,
  lip: [number, number, number],
): void {
  const n = Math.min(mesh.upperInner.length, mesh.lowerInner.length);
  const seam = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const u = mesh.upperInner[i]!;
    const l = mesh.lowerInner[i]!;
    seam[i * 2] = (mesh.rest[u * 2]! + mesh.rest[l * 2]!) / 2;
    seam[i * 2 + 1] = (mesh.rest[u * 2 + 1]! + mesh.rest[l * 2 + 1]!) / 2;
  }
  const left = seam[0]!;
  const right = seam[(n - 1) * 2]!;
  const mid = (left + right) / 2;
  const half = Math.max(1, Math.abs(right - left) / 2);
  const [r, g, b] = [lip[0] * 0.45, lip[1] * 0.35, lip[2] * 0.38];
  for (
    let x = Math.max(0, Math.floor(Math.min(left, right)));
    x < Math.min(w, Math.ceil(Math.max(left, right)));
    x++
  ) {
    const xc = x + 0.5;
    const y = smoothCurveY(seam, n, xc);
    const u = (xc - mid) / half;
    const strength = 0.75 * (0.55 + 0.45 * Math.max(0, 1 - u * u));
    for (let row = Math.max(0, Math.floor(y - 1.5)); row < Math.min(h, Math.ceil(y + 1.5)); row++) {
      const a = strength * Math.max(0, 1 - Math.abs(row + 0.5 - y) / 1.1);
      if (a > 0) blendPixel(out, row * w + x, r, g, b, a);
    }
  }
}
