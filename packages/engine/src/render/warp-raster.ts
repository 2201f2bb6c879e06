// Piecewise-affine warp of packed RGBA pixels (Int32 views, little-endian ABGR) with bilinear sampling in 7-bit
// fixed point, so every product stays inside a 31-bit integer and V8 keeps the loop in integer registers.
// Spans cover pixel centres in [left, right) computed identically for an edge shared by two triangles, so
// neighbouring triangles neither overlap nor leave gaps.

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Per-row pixel ranges a warp may write ([min[y], max[y]) for rows y0 ≤ y < y1). */
export interface RowClip {
  min: Int32Array;
  max: Int32Array;
  y0: number;
  y1: number;
}

export const emptyRect = (): Rect => ({ x0: 0, y0: 0, x1: 0, y1: 0 });

export function unionRect(a: Rect, b: Rect): Rect {
  if (a.x1 <= a.x0 || a.y1 <= a.y0) return { ...b };
  if (b.x1 <= b.x0 || b.y1 <= b.y0) return { ...a };
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}

export function warpTriangle(
  dst: Int32Array,
  src: Int32Array,
  w: number,
  h: number,
  d: ArrayLike<number>,
  s: ArrayLike<number>,
  i0: number,
  i1: number,
  i2: number,
  spans?: { add(y: number, x0: number, x1: number): void },
  sample = true,
  clip?: RowClip,
): boolean {
  const x0 = d[i0 * 2]!;
  const y0 = d[i0 * 2 + 1]!;
  const x1 = d[i1 * 2]!;
  const y1 = d[i1 * 2 + 1]!;
  const x2 = d[i2 * 2]!;
  const y2 = d[i2 * 2 + 1]!;
  const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (Math.abs(det) < 1e-9) return false;
  const u0 = s[i0 * 2]!;
  const v0 = s[i0 * 2 + 1]!;
  const u1 = s[i1 * 2]!;
  const v1 = s[i1 * 2 + 1]!;
  const u2 = s[i2 * 2]!;
  const v2 = s[i2 * 2 + 1]!;
  // Affine map dst → src: u = a*x + b*y + c.
  const inv = 1 / det;
  const a = ((u1 - u0) * (y2 - y0) - (u2 - u0) * (y1 - y0)) * inv;
  const b = ((u2 - u0) * (x1 - x0) - (u1 - u0) * (x2 - x0)) * inv;
  const c = u0 - a * x0 - b * y0;
  const e = ((v1 - v0) * (y2 - y0) - (v2 - v0) * (y1 - y0)) * inv;
  const f = ((v2 - v0) * (x1 - x0) - (v1 - v0) * (x2 - x0)) * inv;
  const g = v0 - e * x0 - f * y0;

  // Sort vertices by y for the scan.
  let ax = x0;
  let ay = y0;
  let bx = x1;
  let by = y1;
  let cx = x2;
  let cy = y2;
  if (ay > by) [ax, ay, bx, by] = [bx, by, ax, ay];
  if (by > cy) [bx, by, cx, cy] = [cx, cy, bx, by];
  if (ay > by) [ax, ay, bx, by] = [bx, by, ax, ay];
  const rowStart = Math.max(clip ? clip.y0 : 0, Math.ceil(ay - 0.5));
  const rowEnd = Math.min(clip ? clip.y1 : h, Math.ceil(cy - 0.5));
  if (rowStart >= rowEnd) return true;
  // Source positions in 16.16 fixed point; clamped so the 2×2 footprint stays inside the image.
  const maxU = (w - 1.001) * 65536;
  const maxV = (h - 1.001) * 65536;
  const du = Math.round(a * 65536);
  const dv = Math.round(e * 65536);
  // Every pixel centre inside the destination maps inside the source triangle, so when that triangle keeps a
  // margin from the border no span needs the per-span bounds test (the margin covers fixed-point stepping).
  const margin = 0.05;
  const allInside =
    Math.min(u0, u1, u2) >= 0.5 + margin &&
    Math.max(u0, u1, u2) <= w - 0.501 - margin &&
    Math.min(v0, v1, v2) >= 0.5 + margin &&
    Math.max(v0, v1, v2) <= h - 0.501 - margin;
  // Edges are evaluated from their upper endpoint (the lower y; horizontal edges are never evaluated), the
  // same expression for both triangles that share an edge, so their spans meet exactly.
  const acDx = cx - ax;
  const acDy = cy - ay;
  const abDx = bx - ax;
  const abDy = by - ay;
  const bcDx = cx - bx;
  const bcDy = cy - by;
  for (let y = rowStart; y < rowEnd; y++) {
    const yc = y + 0.5;
    const xLong = ax + ((yc - ay) * acDx) / acDy;
    const xShort = yc < by ? ax + ((yc - ay) * abDx) / abDy : bx + ((yc - by) * bcDx) / bcDy;
    const left = Math.min(xLong, xShort);
    const right = Math.max(xLong, xShort);
    let pxFull = Math.ceil(left - 0.5);
    if (pxFull < 0) pxFull = 0;
    let pxEndFull = Math.ceil(right - 0.5);
    if (pxEndFull > w) pxEndFull = w;
    let px = pxFull;
    let pxEnd = pxEndFull;
    if (clip) {
      if (clip.min[y]! > px) px = clip.min[y]!;
      if (clip.max[y]! < pxEnd) pxEnd = clip.max[y]!;
    }
    if (px >= pxEnd) continue;
    spans?.add(y, px, pxEnd);
    if (!sample) continue;
    // Source position of the pixel centre, in pixel-index space (centre of pixel i is at i). Stepped from the
    // span's unclipped start, so a clipped span samples exactly what the whole span would there.
    const su0 = (a * (pxFull + 0.5) + b * yc + c - 0.5) * 65536;
    const sv0 = (e * (pxFull + 0.5) + f * yc + g - 0.5) * 65536;
    const skip = px - pxFull;
    let inside = allInside;
    if (!inside) {
      const su1 = su0 + du * (pxEndFull - 1 - pxFull);
      const sv1 = sv0 + dv * (pxEndFull - 1 - pxFull);
      inside =
        Math.min(su0, su1) >= 0 &&
        Math.max(su0, su1) <= maxU &&
        Math.min(sv0, sv1) >= 0 &&
        Math.max(sv0, sv1) <= maxV;
    }
    if (inside)
      spanFast(
        dst,
        src,
        w,
        y * w + px,
        pxEnd - px,
        Math.round(su0) + du * skip,
        Math.round(sv0) + dv * skip,
        du,
        dv,
      );
    else
      spanClamped(dst, src, w, y * w + px, pxEnd - px, su0 + du * skip, sv0 + dv * skip, du, dv, maxU, maxV);
  }
  return true;
}

/** A span whose whole source footprint is inside the image: integer-only inner loop. */
function spanFast(
  dst: Int32Array,
  src: Int32Array,
  w: number,
  o: number,
  n: number,
  su: number,
  sv: number,
  du: number,
  dv: number,
): void {
  for (let k = 0; k < n; k++, o++, su += du, sv += dv) {
    const fx = (su >> 9) & 127;
    const fy = (sv >> 9) & 127;
    const i = (sv >> 16) * w + (su >> 16);
    const p00 = src[i]!;
    const p01 = src[i + 1]!;
    const p10 = src[i + w]!;
    const p11 = src[i + w + 1]!;
    const gx = 128 - fx;
    const gy = 128 - fy;
    const rbTop = (((p00 & 0xff00ff) * gx + (p01 & 0xff00ff) * fx) >>> 7) & 0xff00ff;
    const rbBot = (((p10 & 0xff00ff) * gx + (p11 & 0xff00ff) * fx) >>> 7) & 0xff00ff;
    const gaTop = ((((p00 >>> 8) & 0xff00ff) * gx + ((p01 >>> 8) & 0xff00ff) * fx) >>> 7) & 0xff00ff;
    const gaBot = ((((p10 >>> 8) & 0xff00ff) * gx + ((p11 >>> 8) & 0xff00ff) * fx) >>> 7) & 0xff00ff;
    dst[o] =
      (((rbTop * gy + rbBot * fy) >>> 7) & 0xff00ff) | ((((gaTop * gy + gaBot * fy) >>> 7) & 0xff00ff) << 8);
  }
}

/** A span that touches the image border: same sampling with the position clamped per pixel. */
function spanClamped(
  dst: Int32Array,
  src: Int32Array,
  w: number,
  o: number,
  n: number,
  su: number,
  sv: number,
  du: number,
  dv: number,
  maxU: number,
  maxV: number,
): void {
  for (let k = 0; k < n; k++, o++, su += du, sv += dv) {
    const uu = Math.round(Math.min(maxU, Math.max(0, su)));
    const vv = Math.round(Math.min(maxV, Math.max(0, sv)));
    spanFast(dst, src, w, o, 1, uu, vv, 0, 0);
  }
}
