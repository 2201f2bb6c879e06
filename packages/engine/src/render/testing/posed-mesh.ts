// For render tests: a rig's mesh points at a frame's parameters, by the renderer's own mapping of FaceParams
// onto the mesh bases, so a test can find where a lip or lid lands without reading pixels.
import type { FaceParams } from '../../animation/params.js';
import type { Rig } from '../../face/rig.js';
import { basisNames } from '../basis-names.js';
import { fillValues } from '../basis-values.js';
import { acquireRigData, releaseRigData } from '../rig-data.js';

export interface PosedMesh {
  rest: Float32Array;
  /** The points at the parameters (x, y pairs). */
  dest: Float32Array;
  triangles: Uint16Array;
}

export function posedMesh(rig: Rig, p: FaceParams): PosedMesh {
  const data = acquireRigData(rig);
  try {
    const { mesh } = data;
    const values = new Float32Array(basisNames.length);
    fillValues(p, values);
    const dest = mesh.rest.slice();
    basisNames.forEach((name, b) => {
      const k = values[b]!;
      if (k) for (let i = 0; i < dest.length; i++) dest[i]! += mesh.bases[name][i]! * k;
    });
    return { rest: mesh.rest, dest, triangles: mesh.triangles };
  } finally {
    releaseRigData(data);
  }
}
