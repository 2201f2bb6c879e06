import type { WarpMesh } from './warp-mesh.js';

// The triangles a frame's lenses may paint over: the mouth layer (interior, lip rim, corner shades) and the
// lids. Those lenses paint only pixels the frame warped itself, so a triangle there is always warped when its
// parameter changes, however little it moved; elsewhere a triangle that barely moved may stay as the cached pose.

/** 1 for each triangle with a rest corner in a box around the mouth or an eye (see `lensTriangles`). */
export function lensTriangles(mesh: WarpMesh): Uint8Array {
  const tris = mesh.triangles;
  const out = new Uint8Array(tris.length / 3);
  // The corner shades reach 0.45 of half the opening past each corner plus the corner's own travel, 14 px under
  // it; the rim 6 px into the lips; the lids 3 px of lashes past the margin and up to the crease. Generous on
  // purpose: a box too small would leave a lens unpainted, one too large only costs a few triangles' warp.
  const mouthMargin = Math.max(24, 0.6 * mesh.mouthWidthPx);
  const boxes = [
    box(mesh.rest, [...mesh.upperInner, ...mesh.lowerInner], mouthMargin),
    ...[
      [mesh.rightLidUpper, mesh.rightLidLower],
      [mesh.leftLidUpper, mesh.leftLidLower],
    ].map(([up, low]) => {
      const b = box(mesh.rest, [...up!, ...low!], 0);
      return grow(b, Math.max(12, 0.6 * (b[2] - b[0])));
    }),
  ];
  for (let t = 0; t < out.length; t++) {
    for (let k = 0; k < 3 && !out[t]; k++) {
      const p = tris[t * 3 + k]!;
      const x = mesh.rest[p * 2]!;
      const y = mesh.rest[p * 2 + 1]!;
      for (const [x0, y0, x1, y1] of boxes) if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out[t] = 1;
    }
  }
  return out;
}

type Box = [number, number, number, number];

function box(rest: Float32Array, points: readonly number[], margin: number): Box {
  let b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    const x = rest[p * 2]!;
    const y = rest[p * 2 + 1]!;
    b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
  }
  return grow(b, margin);
}

const grow = (b: Box, m: number): Box => [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
