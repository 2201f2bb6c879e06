import { type BasisName, basisNames } from './basis-names.js';
import type { WarpMesh } from './warp-mesh.js';

// Which triangles each animation parameter moves, precomputed per rig. A frame that differs from a cached
// reference (the photo or a cached head pose) only in some parameters re-warps exactly those triangles
// ("core") plus the triangles touching them ("ring"): the ring is redrawn identically to the reference, so
// colour conversion of 2×2 blocks along the core's edge never reads a stale pixel.

export interface BasisTriangles {
  core: Record<BasisName, Uint32Array>;
  ring: Record<BasisName, Uint32Array>;
}

export function buildBasisTriangles(mesh: WarpMesh): BasisTriangles {
  const tris = mesh.triangles;
  const triCount = tris.length / 3;
  const byVertex: number[][] = Array.from({ length: mesh.pointCount }, () => []);
  for (let t = 0; t < triCount; t++) for (let k = 0; k < 3; k++) byVertex[tris[t * 3 + k]!]!.push(t);
  const core = {} as Record<BasisName, Uint32Array>;
  const ring = {} as Record<BasisName, Uint32Array>;
  for (const name of basisNames) {
    const d = mesh.bases[name];
    const moves = (p: number) => d[p * 2] !== 0 || d[p * 2 + 1] !== 0;
    const inCore = new Uint8Array(triCount);
    const coreList: number[] = [];
    for (let t = 0; t < triCount; t++) {
      if (moves(tris[t * 3]!) || moves(tris[t * 3 + 1]!) || moves(tris[t * 3 + 2]!)) {
        inCore[t] = 1;
        coreList.push(t);
      }
    }
    // Blinks paint a lid a little larger than the moving lid (lashes sit outside the landmarks): their core
    // takes in the neighbouring triangles, so the lid is drawn the same whatever the frame's reference.
    if (name === 'blinkLeft' || name === 'blinkRight') {
      for (const t of [...coreList]) {
        for (let k = 0; k < 3; k++) {
          for (const n of byVertex[tris[t * 3 + k]!]!) {
            if (inCore[n]) continue;
            inCore[n] = 1;
            coreList.push(n);
          }
        }
      }
    }
    const inRing = new Uint8Array(triCount);
    const ringList: number[] = [];
    for (const t of coreList) {
      for (let k = 0; k < 3; k++) {
        for (const n of byVertex[tris[t * 3 + k]!]!) {
          if (inCore[n] || inRing[n]) continue;
          inRing[n] = 1;
          ringList.push(n);
        }
      }
    }
    core[name] = Uint32Array.from(coreList);
    ring[name] = Uint32Array.from(ringList);
  }
  return { core, ring };
}
