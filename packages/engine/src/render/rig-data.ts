import { createHash } from 'node:crypto';
import type { Rig } from '../face/rig.js';
import { type BasisTriangles, buildBasisTriangles } from './basis-triangles.js';
import { closedBaseImage } from './closed-base.js';
import { decodeImage } from './decode-image.js';
import { i420Planes, i420Size, rgbaToI420 } from './i420.js';
import type { PoseLayer } from './pose-layer.js';
import { buildWarpMesh, type WarpMesh } from './warp-mesh.js';

// What every renderer of one avatar shares in a thread: the decoded photo, the warp mesh and the cache of head
// poses. Render workers receive each session's rig as a structured clone (a new object per session), so the
// data is found by the rig's content, not its identity: ten sessions of one avatar decode and cache it once.

export interface RigData {
  key: string;
  mesh: WarpMesh;
  triangles: BasisTriangles;
  /** What rest parameters show: the photo, or the photo warped into its closed pose (closed-pose.ts). */
  base: Int32Array;
  baseI420: Uint8Array;
  /** The photo as given (the same array as `base` unless the mouth was closed). */
  photo: Int32Array;
  teethHeight: number;
  /** The photo shows upper teeth the mouth interior can reuse. */
  photoShowsTeeth: boolean;
  layers: Map<string, PoseLayer>;
  layerBytes: number;
  users: number;
}

const byObject = new WeakMap<Rig, RigData>();
const byContent = new Map<string, RigData>();
/** Avatars no renderer uses any more stay cached (most recently released last) up to this many. */
export const KEEP_UNUSED_AVATARS = 3;
const keepUnused = KEEP_UNUSED_AVATARS;

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
  const photo = new Int32Array(
    img.rgba.buffer.slice(img.rgba.byteOffset, img.rgba.byteOffset + img.rgba.byteLength),
  );
  const mesh = buildWarpMesh(rig, photo);
  const base = mesh.photoRest ? closedBaseImage(photo, rig, mesh, mesh.photoRest) : photo;
  const baseI420 = new Uint8Array(i420Size(rig.width, rig.height));
  rgbaToI420(base, rig.width, rig.height, i420Planes(baseI420, rig.width, rig.height));
  // A photo showing teeth sets their height; otherwise a typical share of the mouth width.
  const photoShowsTeeth = mesh.upperTeethPx > 1.5;
  const teethHeight = photoShowsTeeth ? mesh.upperTeethPx : mesh.mouthWidthPx * 0.11;
  return {
    key,
    mesh,
    triangles: buildBasisTriangles(mesh),
    base,
    baseI420,
    photo,
    teethHeight,
    photoShowsTeeth,
    layers: new Map(),
    layerBytes: 0,
    users: 0,
  };
}
