// The template face the illustrated avatars are drawn on: the public-domain photo's 478-point mesh
// (assets/avatars/template-mesh.json, unit face height, origin at the eye midpoint), with the mouth closed
// and reshaped per character, then placed in an output frame like any ingested photo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { portraitPlacement } from '../face/face-alignment.js';
import { MESH_POINT_COUNT, MESH_REGIONS } from '../face/mesh-regions.js';

export interface FaceShape {
  /** Horizontal scale of the whole face. */
  faceWidth: number;
  /** Extra horizontal scale of the lower face (below the nose), for a narrower or squarer jaw. */
  jawWidth: number;
  /** Scale of the eye openings and irises around each eye's centre. */
  eyeSize: number;
  /** Vertical scale of both lips around the mouth line. */
  lipFullness: number;
  /** Horizontal scale of the mouth around its centre. */
  mouthWidth: number;
}

export const NEUTRAL_SHAPE: FaceShape = {
  faceWidth: 1,
  jawWidth: 1,
  eyeSize: 1,
  lipFullness: 1,
  mouthWidth: 1,
};

const ASSET = join(import.meta.dirname, '..', '..', 'assets', 'avatars', 'template-mesh.json');

let cached: Float32Array | undefined;

function loadTemplate(): Float32Array {
  if (!cached) {
    const json = JSON.parse(readFileSync(ASSET, 'utf8')) as { mesh: number[] };
    if (json.mesh.length !== MESH_POINT_COUNT * 2) throw new Error('template mesh has the wrong point count');
    cached = roundLowerLip(relaxSmile(closeMouth(Float32Array.from(json.mesh))));
  }
  return cached;
}

// Lip rings from outer to inner with how far each moves when the lips close; the 9-point upper rings lack the
// corners and line up with columns 1..9 of the 11-point ones.
const UPPER_RINGS: Array<[number[], number]> = [
  [[184, 74, 73, 72, 11, 302, 303, 304, 408], 0.33],
  [[183, 42, 41, 38, 12, 268, 271, 272, 407], 0.66],
  [MESH_REGIONS.lipsUpperInner, 1],
];
const LOWER_RINGS: Array<[number[], number]> = [
  [[76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306], 0.33],
  [[62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292], 0.66],
  [MESH_REGIONS.lipsLowerInner, 1],
];

/** The template photo smiles with parted lips; illustrated faces rest with the lips together. */
function closeMouth(mesh: Float32Array): Float32Array {
  const out = Float32Array.from(mesh);
  const upper = MESH_REGIONS.lipsUpperInner;
  const lower = MESH_REGIONS.lipsLowerInner;
  const half = upper.map((u, j) => {
    const l = lower[j]!;
    return [(mesh[2 * l]! - mesh[2 * u]!) / 2, (mesh[2 * l + 1]! - mesh[2 * u + 1]!) / 2] as const;
  });
  const move = (rings: Array<[number[], number]>, sign: number) => {
    for (const [ring, weight] of rings) {
      const offset = ring.length === 9 ? 1 : 0;
      ring.forEach((p, k) => {
        const [dx, dy] = half[k + offset]!;
        out[2 * p] = out[2 * p]! + sign * weight * dx;
        out[2 * p + 1] = out[2 * p + 1]! + sign * weight * dy;
      });
    }
  };
  move(UPPER_RINGS, 1);
  move(LOWER_RINGS, -1);
  return out;
}

/**
 * Share of the template's smile (corners above the seam's middle) taken out. The photo laughs: its corners sit
 * 0.11–0.16 of the mouth's width above the middle (the photo avatars: 0.016–0.034), and every open mouth kept that
 * curve, so "oo" opened as an upturned wedge and "ah" kept a grin's corners. A third of it stays: a gentle smile.
 */
const SMILE_RELAXED = 0.68;

/**
 * Lowers the closed mouth's corners towards the seam's middle, each column of the lips by how far its seam sits
 * above the middle; the skin around follows, fading within a third of half the mouth, so no triangle folds.
 */
function relaxSmile(mesh: Float32Array): Float32Array {
  const seam = MESH_REGIONS.lipsUpperInner;
  const sx = seam.map((p) => mesh[2 * p]!);
  const sy = seam.map((p) => mesh[2 * p + 1]!);
  const seamY = (x: number) => {
    const c = Math.max(sx[0]!, Math.min(sx.at(-1)!, x));
    let k = 0;
    while (k + 2 < sx.length && sx[k + 1]! < c) k++;
    const t = (c - sx[k]!) / (sx[k + 1]! - sx[k]! || 1);
    return sy[k]! + t * (sy[k + 1]! - sy[k]!);
  };
  const mx = (sx[0]! + sx.at(-1)!) / 2;
  const halfW = (sx.at(-1)! - sx[0]!) / 2;
  const midY = seamY(mx);
  const lipYs = [...MESH_REGIONS.lipsUpperOuter, ...MESH_REGIONS.lipsLowerOuter].map((p) => mesh[2 * p + 1]!);
  const top = Math.min(...lipYs);
  const bottom = Math.max(...lipYs);
  const out = Float32Array.from(mesh);
  for (let p = 0; p < MESH_POINT_COUNT; p++) {
    const x = mesh[2 * p]!;
    const y = mesh[2 * p + 1]!;
    const beyondX = Math.max(0, Math.abs(x - mx) - halfW) / (0.35 * halfW);
    const beyondY = Math.max(0, top - y, y - bottom) / (0.35 * halfW);
    const weight = LIPS.has(p) ? 1 : Math.exp(-(beyondX * beyondX + beyondY * beyondY));
    out[2 * p + 1] = y + weight * SMILE_RELAXED * (midY - seamY(x));
  }
  return out;
}

/**
 * Share of the way the lower lip's outline goes from the template's to an elliptical one. The template's lower lip
 * runs in nearly straight sides from the corners to a flat bottom: a trapezoid at rest, and squeezed in by a
 * rounded vowel's corners a V (ada's "oo").
 */
const LOWER_LIP_ROUND = 0.6;

/**
 * Lowers the lower lip's outline towards an ellipse through its corners and its deepest point (only lowered); the
 * lip's inner rings keep their share of its height in each column, the inner edge stays.
 */
function roundLowerLip(mesh: Float32Array): Float32Array {
  const outer = MESH_REGIONS.lipsLowerOuter;
  const inner = MESH_REGIONS.lipsLowerInner;
  const out = Float32Array.from(mesh);
  const [lx, ly] = [mesh[2 * outer[0]!]!, mesh[2 * outer[0]! + 1]!];
  const [rx, ry] = [mesh[2 * outer.at(-1)!]!, mesh[2 * outer.at(-1)! + 1]!];
  const chord = (x: number) => ly + ((x - lx) / (rx - lx)) * (ry - ly);
  const depth = outer.map((p) => mesh[2 * p + 1]! - chord(mesh[2 * p]!));
  const deepest = Math.max(...depth);
  const mx = (lx + rx) / 2;
  const half = (rx - lx) / 2;
  for (let k = 1; k + 1 < outer.length; k++) {
    const x = mesh[2 * outer[k]!]!;
    const u = Math.min(1, Math.abs(x - mx) / half);
    const target = deepest * Math.sqrt(1 - u * u);
    const lowered = depth[k]! + LOWER_LIP_ROUND * Math.max(0, target - depth[k]!);
    const innerY = mesh[2 * inner[k]! + 1]!;
    const height = mesh[2 * outer[k]! + 1]! - innerY;
    if (height <= 0) continue;
    const scale = (chord(x) + lowered - innerY) / height;
    for (const ring of [outer, ...LOWER_RINGS.slice(0, -1).map(([r]) => r)]) {
      const p = ring[k]!;
      out[2 * p + 1] = innerY + (mesh[2 * p + 1]! - innerY) * scale;
    }
  }
  return out;
}

function centroid(mesh: Float32Array, idx: readonly number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += mesh[2 * i]!;
    y += mesh[2 * i + 1]!;
  }
  return [x / idx.length, y / idx.length];
}

const LEFT_EYE = new Set([
  ...MESH_REGIONS.leftEyeUpper0,
  ...MESH_REGIONS.leftEyeLower0,
  ...MESH_REGIONS.leftEyeIris,
  ...[359, 467, 260, 259, 257, 258, 286, 414, 463, 255, 339, 254, 253, 252, 256, 341],
]);
const RIGHT_EYE = new Set([
  ...MESH_REGIONS.rightEyeUpper0,
  ...MESH_REGIONS.rightEyeLower0,
  ...MESH_REGIONS.rightEyeIris,
  ...[130, 247, 30, 29, 27, 28, 56, 190, 243, 25, 110, 24, 23, 22, 26, 112],
]);
const LIPS = new Set([
  ...MESH_REGIONS.lipsUpperOuter,
  ...MESH_REGIONS.lipsLowerOuter,
  ...UPPER_RINGS.flatMap(([r]) => r),
  ...LOWER_RINGS.flatMap(([r]) => r),
]);

/** The template reshaped for a character, in unit-face-height coordinates. */
export function shapedTemplate(shape: FaceShape): Float32Array {
  const mesh = Float32Array.from(loadTemplate());
  const leftEye = centroid(mesh, [...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
  const rightEye = centroid(mesh, [...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
  const mouth = centroid(mesh, [61, 291, 13, 14]);
  const noseY = mesh[2 * 2 + 1]!;
  const chinY = mesh[2 * 152 + 1]!;
  for (let i = 0; i < MESH_POINT_COUNT; i++) {
    let x = mesh[2 * i]!;
    let y = mesh[2 * i + 1]!;
    const eye = LEFT_EYE.has(i) ? leftEye : RIGHT_EYE.has(i) ? rightEye : undefined;
    if (eye) {
      x = eye[0] + (x - eye[0]) * shape.eyeSize;
      y = eye[1] + (y - eye[1]) * shape.eyeSize;
    }
    if (LIPS.has(i)) {
      x = mouth[0] + (x - mouth[0]) * shape.mouthWidth;
      y = mouth[1] + (y - mouth[1]) * shape.lipFullness;
    }
    // The jaw factor fades in from the nose down to the chin.
    const t = Math.min(1, Math.max(0, (y - noseY) / (chinY - noseY)));
    x *= shape.faceWidth * (1 + (shape.jawWidth - 1) * t);
    mesh[2 * i] = x;
    mesh[2 * i + 1] = y;
  }
  return mesh;
}

/** Unit-template coordinates → output-frame pixels for a portrait of the given size. */
export function placeInFrame(unit: Float32Array, width: number, height: number): Float32Array {
  const { eyeMid, faceHeight } = portraitPlacement(width, height);
  const out = new Float32Array(unit.length);
  for (let i = 0; i < unit.length; i += 2) {
    out[i] = eyeMid[0] + unit[i]! * faceHeight;
    out[i + 1] = eyeMid[1] + unit[i + 1]! * faceHeight;
  }
  return out;
}
