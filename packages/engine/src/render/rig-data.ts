import { createHash } from 'node:crypto';
import type { Rig } from '../face/rig.js';
import { type BasisTriangles, buildBasisTriangles } from './basis-triangles.js';
import { decodeImage } from './decode-image.js';
import { i420Planes, i420Size, rgbaToI420 } from './i420.js';
import type { PoseLayer } from './pose-layer.js';
import { buildWarpMesh, interpolateY, type WarpMesh } from './warp-mesh.js';

// What every renderer of one avatar shares in a thread: the decoded photo, the warp mesh and the cache of head
// poses. Render workers receive each session's rig as a structured clone (a new object per session), so the
// data is found by the rig's content, not its identity: ten sessions of one avatar decode and cache it once.

export interface RigData {
  key: string;
  mesh: WarpMesh;
  triangles: BasisTriangles;
  base: Int32Array;
  baseI420: Uint8Array;
  teethHeight: number;
  /** The photo's lips are apart at rest, showing teeth the mouth interior can reuse. */
  photoShowsTeeth: boolean;
  layers: Map<string, PoseLayer>;
  layerBytes: number;
  users: number;
}

const byObject = new WeakMap<Rig, RigData>();
const byContent = new Map<string, RigData>();
/** Avatars no renderer uses any more stay cached (most recently released last) up to this many. */
const keepUnused = 3;

function contentKey(rig: Rig): string {
  const h = createHash('sha1');
  h.update(rig.image);
  h.update(new Uint8Array(rig.mesh.buffer, rig.mesh.byteOffset, rig.mesh.byteLength));
  h.update(JSON.stringify([rig.width, rig.height, rig.regions, rig.colors, rig.faceBox]));
  return h.digest('hex');
}

export function acquireRigData(rig: Rig): RigData {
  let data = byObject.get(rig);
  if (!data) {
    const key = contentKey(rig);
    data = byContent.get(key) ?? prepare(rig, key);
    byObject.set(rig, data);
  }
  // Most recently used last, so eviction below drops the longest-unused avatar.
  byContent.delete(data.key);
  byContent.set(data.key, data);
  data.users++;
  return data;
}

export function releaseRigData(data: RigData): void {
  data.users = Math.max(0, data.users - 1);
  let unused = [...byContent.values()].filter((d) => d.users === 0);
  while (unused.length > keepUnused) {
    byContent.delete(unused[0]!.key);
    unused = unused.slice(1);
  }
}

function prepare(rig: Rig, key: string): RigData {
  const img = decodeImage(rig.image);
  if (img.width !== rig.width || img.height !== rig.height) {
    throw new Error(`rig image is ${img.width}x${img.height}, rig says ${rig.width}x${rig.height}`);
  }
  if (rig.width % 2 || rig.height % 2) throw new Error('rig width and height must be even for I420 output');
  const base = new Int32Array(
    img.rgba.buffer.slice(img.rgba.byteOffset, img.rgba.byteOffset + img.rgba.byteLength),
  );
  const mesh = buildWarpMesh(rig, base);
  const baseI420 = new Uint8Array(i420Size(rig.width, rig.height));
  rgbaToI420(base, rig.width, rig.height, i420Planes(baseI420, rig.width, rig.height));
  const mx = mesh.rest[mesh.upperInner[0]! * 2]! / 2 + mesh.rest[mesh.upperInner.at(-1)! * 2]! / 2;
  const restGap = interpolateY(mesh.rest, mesh.lowerInner, mx) - interpolateY(mesh.rest, mesh.upperInner, mx);
  // A photo showing teeth sets their height; otherwise a typical share of the mouth width.
  const teethHeight = restGap > 3 ? restGap * 0.95 : mesh.mouthWidthPx * 0.11;
  return {
    key,
    mesh,
    triangles: buildBasisTriangles(mesh),
    base,
    baseI420,
    teethHeight,
    photoShowsTeeth: restGap > 3,
    layers: new Map(),
    layerBytes: 0,
    users: 0,
  };
}
