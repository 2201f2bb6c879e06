import type { Rig } from '../face/rig.js';
import type { BasisName } from './basis-names.js';
import { closedPoseDisplacement } from './closed-pose.js';
import { faceTesselation } from './face-tesselation.js';
import { measureUpperTeeth, snapInnerLips } from './lip-edges.js';
import { buildBases } from './mesh-bases.js';

// The warp mesh, built once per rig: the 468 face landmarks triangulated by MediaPipe's tesselation, the mouth
// opening bridged, and rings of points scaled out from the face oval to the frame border, so the head can move
// without tearing while the frame edges and shoulders stay put. Motion is a linear blend of per-point
// displacement bases (one per animation parameter), so a frame's vertex positions cost a few multiply-adds.

export interface WarpMesh {
  pointCount: number;
  /** Rest positions [x0, y0, ...] in crop pixels. */
  rest: Float32Array;
  /** Displacement per point for a unit parameter value, [dx0, dy0, ...]. */
  bases: Record<BasisName, Float32Array>;
  triangles: Uint16Array;
  /** Mouth and lid contours (point indices, image-left corner to image-right corner). */
  upperInner: number[];
  lowerInner: number[];
  rightLidUpper: number[];
  rightLidLower: number[];
  leftLidUpper: number[];
  leftLidLower: number[];
  mouthWidthPx: number;
  faceHeightPx: number;
  /**
   * Set when the photo's lips are apart: `rest` is then the closed pose (closed-pose.ts) and these are the
   * points where the photo shows them, so the photo is warped into the closed pose once.
   */
  photoRest?: Float32Array;
  /** Height (px) of the upper teeth the photo shows below its upper inner lip at the middle; 0 when none. */
  upperTeethPx: number;
}

const facePoints = 468;
const ringScales = [1.2, 1.45, 1.7, 1.95, 2.25, 2.7, 3.4];

function region(rig: Rig, name: string): number[] {
  const r = rig.regions[name];
  if (!r || r.length < 2) throw new Error(`rig is missing region "${name}"`);
  return r;
}

/** Where the ray from (cx, cy) through (x, y) leaves the frame, if (x, y) is outside it. */
function clampToFrame(cx: number, cy: number, x: number, y: number, w: number, h: number): [number, number] {
  let t = 1;
  const dx = x - cx;
  const dy = y - cy;
  if (x < 0) t = Math.min(t, -cx / dx);
  if (x > w) t = Math.min(t, (w - cx) / dx);
  if (y < 0) t = Math.min(t, -cy / dy);
  if (y > h) t = Math.min(t, (h - cy) / dy);
  return [cx + dx * t, cy + dy * t];
}

export function buildWarpMesh(rig: Rig, photo?: Int32Array): WarpMesh {
  const { width: w, height: h } = rig;
  const oval = region(rig, 'faceOval');
  const fb = rig.faceBox;
  const cx = fb.x + fb.width / 2;
  const cy = fb.y + fb.height / 2;
  const W = fb.width;
  const H = fb.height;
  const ringCount = ringScales.length + 1;
  const cornerStart = facePoints + oval.length * ringCount;
  const pointCount = cornerStart + 4;
  const rest = new Float32Array(pointCount * 2);
  rest.set([0, 0, w, 0, w, h, 0, h], cornerStart * 2);
  rest.set(rig.mesh.subarray(0, facePoints * 2));
  const n = oval.length;
  for (let r = 0; r < ringCount; r++) {
    const s = ringScales[r] ?? 50;
    for (let i = 0; i < n; i++) {
      const o = oval[i]!;
      const ox = rig.mesh[o * 2]!;
      const oy = rig.mesh[o * 2 + 1]!;
      const [x, y] = clampToFrame(cx, cy, cx + (ox - cx) * s, cy + (oy - cy) * s, w, h);
      const p = facePoints + r * n + i;
      rest[p * 2] = x;
      rest[p * 2 + 1] = y;
    }
  }

  const tris: number[] = [...faceTesselation];
  const upperInner = region(rig, 'lipsUpperInner');
  const lowerInner = region(rig, 'lipsLowerInner');
  let photoRest: Float32Array | undefined;
  let upperTeethPx = 0;
  if (photo) {
    snapInnerLips(rig, rest, photo, lowerInner, region(rig, 'lipsLowerOuter'), 1, upperInner);
    snapInnerLips(rig, rest, photo, upperInner, region(rig, 'lipsUpperOuter'), -1, lowerInner);
    upperTeethPx = measureUpperTeeth(rig, rest, photo, upperInner, lowerInner);
    const close = closedPoseDisplacement({
      rest,
      facePoints,
      upperInner,
      lowerInner,
      upperOuter: region(rig, 'lipsUpperOuter'),
      lowerOuter: region(rig, 'lipsLowerOuter'),
      upperTeethPx,
    });
    if (close) {
      photoRest = rest.slice();
      for (let i = 0; i < rest.length; i++) rest[i]! += close[i]!;
    }
  }
  // Bridge the mouth opening with a strip so lips pulled apart still cover every pixel (the interior is drawn
  // over it when the jaw opens).
  for (let i = 0; i + 1 < upperInner.length && i + 1 < lowerInner.length; i++) {
    const a = upperInner[i]!;
    const b = upperInner[i + 1]!;
    const c = lowerInner[i]!;
    const d = lowerInner[i + 1]!;
    if (a !== c && b !== c) tris.push(a, b, c);
    if (b !== d && c !== d) tris.push(b, d, c);
  }
  const ringIndex = (r: number, i: number) => (r < 0 ? oval[i % n]! : facePoints + r * n + (i % n));
  for (let r = -1; r + 1 < ringCount; r++) {
    for (let i = 0; i < n; i++) {
      tris.push(ringIndex(r, i), ringIndex(r, i + 1), ringIndex(r + 1, i));
      tris.push(ringIndex(r, i + 1), ringIndex(r + 1, i + 1), ringIndex(r + 1, i));
    }
  }
  addFrameCorners(rest, tris, facePoints + (ringCount - 1) * n, n, cornerStart, cx, cy);

  const mouthL = upperInner[0]!;
  const mouthR = upperInner[upperInner.length - 1]!;
  const mx = (rig.mesh[mouthL * 2]! + rig.mesh[mouthR * 2]!) / 2;
  const my = (rig.mesh[mouthL * 2 + 1]! + rig.mesh[mouthR * 2 + 1]!) / 2;
  const mouthWidthPx = Math.abs(rig.mesh[mouthR * 2]! - rig.mesh[mouthL * 2]!);
  const bases = buildBases(rig, rest, pointCount, { cx, cy, W, H, mx, my, mouthWidthPx });
  return {
    pointCount,
    rest,
    bases,
    triangles: Uint16Array.from(tris),
    upperInner,
    lowerInner,
    rightLidUpper: region(rig, 'rightEyeUpper0'),
    rightLidLower: region(rig, 'rightEyeLower0'),
    leftLidUpper: region(rig, 'leftEyeUpper0'),
    leftLidLower: region(rig, 'leftEyeLower0'),
    mouthWidthPx,
    faceHeightPx: H,
    ...(photoRest ? { photoRest } : {}),
    upperTeethPx,
  };
}

/**
 * The outermost ring lies on the frame border; the four frame corners (points `cornerStart`..+3) get a triangle
 * each with the two border points around them, or they would stay empty.
 */
function addFrameCorners(
  rest: Float32Array,
  tris: number[],
  borderStart: number,
  n: number,
  cornerStart: number,
  cx: number,
  cy: number,
): void {
  const wrap = (a: number) => (a > Math.PI ? a - 2 * Math.PI : a < -Math.PI ? a + 2 * Math.PI : a);
  const angle = (p: number) => Math.atan2(rest[p * 2 + 1]! - cy, rest[p * 2]! - cx);
  for (let c = 0; c < 4; c++) {
    const a = angle(cornerStart + c);
    for (let i = 0; i < n; i++) {
      const p = borderStart + i;
      const q = borderStart + ((i + 1) % n);
      const d = wrap(angle(q) - angle(p));
      const e = wrap(a - angle(p));
      if ((d > 0 && e > 0 && e < d) || (d < 0 && e < 0 && e > d)) {
        tris.push(p, q, cornerStart + c);
        break;
      }
    }
  }
}
