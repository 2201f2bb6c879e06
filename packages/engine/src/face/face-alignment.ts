// Where the face goes in the output frame: scaled and placed like a webcam portrait (head and shoulders, eyes
// about 40% from the top). A tilted head is levelled by rotating the head only (`HeadLevel`): the photo itself
// is not turned, so the frame's corners stay real photo instead of a blurred, extended wedge.
import { type AxisStretch, axisStretch } from './edge-stretch.js';
import { MESH_REGIONS } from './mesh-regions.js';
import { meshFaceHeight } from './select-face.js';

/** Maps source (x, y) to output (a·x + c·y + e, b·x + d·y + f), the canvas setTransform order. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** Eye line height as a fraction of the frame height. */
export const EYE_LINE = 0.4;
/** Forehead-to-chin height as a fraction of the frame (see portraitPlacement). */
const FACE_HEIGHT_OF_FRAME = 0.4;
/** How much extra zoom may be used to avoid filling the frame beyond the photo's edges. */
const MAX_EDGE_ZOOM = 1.25;

function centroid(mesh: ReadonlyArray<readonly number[]>, indices: readonly number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += mesh[i]?.[0] ?? 0;
    y += mesh[i]?.[1] ?? 0;
  }
  return [x / indices.length, y / indices.length];
}

export function applyAffine(t: Affine, x: number, y: number): [number, number] {
  return [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
}

export function invertAffine(t: Affine): Affine {
  const det = t.a * t.d - t.b * t.c;
  const a = t.d / det;
  const b = -t.b / det;
  const c = -t.c / det;
  const d = t.a / det;
  return { a, b, c, d, e: -(a * t.e + c * t.f), f: -(b * t.e + d * t.f) };
}

function similarity(scale: number, angle: number, from: [number, number], to: [number, number]): Affine {
  const cos = Math.cos(-angle) * scale;
  const sin = Math.sin(-angle) * scale;
  const t = { a: cos, b: sin, c: -sin, d: cos, e: 0, f: 0 };
  const [px, py] = applyAffine(t, from[0], from[1]);
  return { ...t, e: to[0] - px, f: to[1] - py };
}

/** How far (in output pixels) the frame reaches beyond the source image, worst corner. */
function overflow(t: Affine, srcWidth: number, srcHeight: number, width: number, height: number): number {
  const inv = invertAffine(t);
  const scale = Math.hypot(t.a, t.b);
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ] as const) {
    const [sx, sy] = applyAffine(inv, x, y);
    const out = Math.max(-sx, sx - srcWidth, -sy, sy - srcHeight, 0);
    worst = Math.max(worst, out * scale);
  }
  return worst;
}

/** Where a portrait's eye midpoint goes and how tall (forehead to chin) its face is, for a frame size. */
export function portraitPlacement(
  width: number,
  height: number,
): { eyeMid: [number, number]; faceHeight: number } {
  // Portrait frames give the head a little more room than landscape ones: scale by the shorter side
  // blended toward the height.
  const frameRef = Math.min(width, height) * 0.5 + height * 0.5;
  return { eyeMid: [width / 2, EYE_LINE * height], faceHeight: FACE_HEIGHT_OF_FRAME * frameRef };
}

export interface Alignment {
  /** Source → output without rotation; `level` then rotates the head in output pixels. */
  transform: Affine;
  /** Roll of the face in the source, radians (positive: the subject's left eye lower in the image). */
  roll: number;
  level: HeadLevel;
  /** Applied last, to the levelled frame: stretches the photo's outer bands where it is narrower than the frame. */
  stretch: { x: AxisStretch; y: AxisStretch };
}

/**
 * Rotation of the head region by `angle` about (cx, cy), full within radius `inner` and fading to none at
 * `outer` (neck and shoulders turn part way, the frame's edges not at all). Rotation keeps the radius, so the
 * map and its inverse are exact.
 */
export interface HeadLevel {
  cx: number;
  cy: number;
  angle: number;
  inner: number;
  outer: number;
  /**
   * The photo's extent in the frame (before the edge stretch). Near its edges the turn gives way, so no levelled
   * pixel is drawn from beyond the photo (the blurred extension, or the photo's own edge turned into view).
   */
  photo?: { x0: number; y0: number; x1: number; y1: number };
}

/** Share of a pixel's distance to the photo's edge the turn may move it (the rest is margin for resampling). */
const EDGE_REACH = 0.85;

/** How much of the turn a frame point (x, y) of the levelled crop gets. */
function levelWeight(l: HeadLevel, x: number, y: number): number {
  const dx = x - l.cx;
  const dy = y - l.cy;
  const r = Math.hypot(dx, dy);
  const t = Math.max(0, Math.min(1, (r - l.inner) / (l.outer - l.inner)));
  const radial = 1 - t * t * (3 - 2 * t);
  if (!l.photo || radial === 0) return radial;
  // A turn by a·w moves the point about |a|·w·r: keep that within the point's distance inside the photo.
  const inside = Math.min(x - l.photo.x0, l.photo.x1 - x, y - l.photo.y0, l.photo.y1 - y);
  const cap = Math.max(0, (EDGE_REACH * inside) / (Math.abs(l.angle) * r + 1e-9));
  // A soft minimum (never above either), so the turn does not bend along a line where the cap takes over.
  const k = 0.08;
  return Math.max(0, (radial + cap - Math.sqrt((radial - cap) ** 2 + k * k)) / 2);
}

/** Where output point (x, y) of the unlevelled crop lands once the head is levelled (`inverse`: the way back). */
export function levelPoint(l: HeadLevel, x: number, y: number, inverse = false): [number, number] {
  const turn = (px: number, py: number, a: number): [number, number] => {
    const c = Math.cos(a);
    const s = Math.sin(a);
    return [l.cx + c * (px - l.cx) - s * (py - l.cy), l.cy + s * (px - l.cx) + c * (py - l.cy)];
  };
  // The weight is that of the levelled point: the way back reads it where it is, the way there finds it.
  if (inverse) return turn(x, y, -l.angle * levelWeight(l, x, y));
  let p = turn(x, y, l.angle * levelWeight(l, x, y));
  for (let i = 0; i < 6; i++) p = turn(x, y, l.angle * levelWeight(l, p[0], p[1]));
  return p;
}

/** Half the untouched core around the eye midpoint, across and down/up, in face heights (hair, ears, neck). */
const CORE_HALF_WIDTH = 0.55;
const CORE_UP = 1.0;
const CORE_DOWN = 1.0;

/** Share of the frame height a face may sit above its usual eye line to keep the frame inside the photo. */
const MAX_RAISE = 0.1;

export function alignFace(
  mesh: ReadonlyArray<readonly number[]>,
  srcWidth: number,
  srcHeight: number,
  width: number,
  height: number,
): Alignment {
  const rightEye = centroid(mesh, [...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
  const leftEye = centroid(mesh, [...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
  const roll = Math.atan2(leftEye[1] - rightEye[1], leftEye[0] - rightEye[0]);
  const eyeMid: [number, number] = [(leftEye[0] + rightEye[0]) / 2, (leftEye[1] + rightEye[1]) / 2];
  const { eyeMid: anchor, faceHeight } = portraitPlacement(width, height);
  const baseScale = faceHeight / Math.max(meshFaceHeight(mesh), 1);
  const place = (zoom: number) => similarity(baseScale * zoom, 0, eyeMid, anchor);
  let best = place(1);
  for (let zoom = 1.05; zoom <= MAX_EDGE_ZOOM + 1e-9; zoom += 0.05) {
    if (overflow(best, srcWidth, srcHeight, width, height) < 0.5) break;
    best = place(zoom);
  }
  // A photo cut close above the head: raise the face (up to MAX_RAISE of the frame) rather than extend the photo
  // with a blurred band over the hair. Slivers under 2 px are left to the extension.
  const above = best.f;
  if (above > 2) best = { ...best, f: best.f - Math.min(above, MAX_RAISE * height) };
  // The head turns about the eye midpoint (so the eyes stay where the framing put them); hair is inside
  // `inner`, the shoulders past `outer`.
  const [cx, cy] = applyAffine(best, eyeMid[0], eyeMid[1]);
  const faceOut = meshFaceHeight(mesh) * Math.hypot(best.a, best.b);
  const photoX = [best.e, best.a * srcWidth + best.e] as const;
  const photoY = [best.f, best.d * srcHeight + best.f] as const;
  return {
    transform: best,
    roll,
    stretch: {
      x: axisStretch(
        width,
        photoX[0],
        photoX[1],
        cx - CORE_HALF_WIDTH * faceOut,
        cx + CORE_HALF_WIDTH * faceOut,
      ),
      y: axisStretch(height, photoY[0], photoY[1], cy - CORE_UP * faceOut, cy + CORE_DOWN * faceOut, true),
    },
    // The turn fades out before the frame's side and bottom edges, so they stay the photo as it is; above the
    // head (hair, sky, wall) it may reach a little past the top so the fade is not squeezed into a visible bend.
    level: {
      cx,
      cy,
      angle: -roll,
      photo: { x0: photoX[0], y0: photoY[0], x1: photoX[1], y1: photoY[1] },
      inner: 0.8 * faceOut,
      outer: Math.max(
        0.9 * faceOut,
        Math.min(1.4 * faceOut, cx, width - cx, cy + 0.5 * faceOut, height - cy),
      ),
    },
  };
}
