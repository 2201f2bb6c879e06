import type { FaceParams } from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { decodeImage } from './decode-image.js';
import { drawEyelid } from './eyelids.js';
import { copyI420Rect, evenRect, type I420Planes, i420Planes, i420Size, rgbaToI420 } from './i420.js';
import { drawMouthInterior } from './mouth-interior.js';
import type { PixelFormat, Renderer, VideoFrame } from './renderer.js';
import { RowSpans } from './row-spans.js';
import { basisNames, buildWarpMesh, interpolateY, type WarpMesh } from './warp-mesh.js';
import { emptyRect, type Rect, unionRect, warpTriangle } from './warp-raster.js';

// The CPU renderer: warps the rig's photo by the mesh, paints the mouth interior and eyelids, and converts to
// I420 — all only inside the rectangle that moved this frame; the rest of the frame is the cached photo.
// Idle-loop frames (params.idleFrame set) are drawn once per rig and replayed from a cache.

export interface CpuRendererOptions {
  /** Replay idle-loop frames from a cache shared by renderers of the same rig (default true). */
  idleCache?: boolean;
  /** Most idle frames cached per rig and format (default 250). */
  maxIdleFrames?: number;
}

export interface CpuRenderer extends Renderer {
  /** Idle-cache size (shared by all renderers of this rig in this thread) and the last frame's redrawn area. */
  stats(): { idleCacheFrames: number; idleCacheBytes: number; lastRect: Rect };
}

interface RigData {
  mesh: WarpMesh;
  base: Int32Array;
  baseI420: Uint8Array;
  teethHeight: number;
  idle: Map<string, IdlePatch>;
}

interface IdlePatch {
  rect: Rect;
  data: Uint8Array;
}

const rigData = new WeakMap<Rig, RigData>();

function prepare(rig: Rig): RigData {
  const cached = rigData.get(rig);
  if (cached) return cached;
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
  const data: RigData = { mesh, base, baseI420, teethHeight, idle: new Map() };
  rigData.set(rig, data);
  return data;
}

const paramValue = (p: FaceParams, name: (typeof basisNames)[number]) =>
  name === 'mouthWidth' ? (p.mouthWidth - 0.5) * 2 : p[name];

const smoothstep = (a: number, b: number, x: number) => {
  const t = Math.max(0, Math.min(1, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};

export function createCpuRenderer(rig: Rig, options: CpuRendererOptions = {}): CpuRenderer {
  const data = prepare(rig);
  const { mesh, base, baseI420 } = data;
  const w = rig.width;
  const h = rig.height;
  const frame = base.slice();
  const i420 = baseI420.slice();
  const planes = i420Planes(i420, w, h);
  const basePlanes = i420Planes(baseI420, w, h);
  const dest = new Float32Array(mesh.pointCount * 2);
  const moved = new Uint8Array(mesh.pointCount);
  // What differs from the photo: drawn this frame, in the RGBA frame, and in the I420 frame.
  const cur = new RowSpans(w, h);
  const rgbaDirty = new RowSpans(w, h);
  const i420Dirty = new RowSpans(w, h);
  const useIdle = options.idleCache ?? true;
  const maxIdle = options.maxIdleFrames ?? 250;
  const innerCount = Math.min(mesh.upperInner.length, mesh.lowerInner.length);
  const upper = new Float32Array(innerCount * 2);
  const lower = new Float32Array(innerCount * 2);

  function restoreRgba(): void {
    for (let y = rgbaDirty.y0; y < rgbaDirty.y1; y++) {
      const x0 = rgbaDirty.min[y]!;
      const x1 = rgbaDirty.max[y]!;
      if (x1 > x0) frame.set(base.subarray(y * w + x0, y * w + x1), y * w + x0);
    }
    rgbaDirty.clear();
  }

  function restoreI420(): void {
    i420Dirty.forEachRowPair((y, x0, x1) =>
      copyI420Rect(basePlanes, planes, w, h, { x0, y0: y, x1, y1: y + 2 }),
    );
    i420Dirty.clear();
  }

  function gather(
    list: readonly number[],
    count: number,
    out: Float32Array,
    minus?: Float32Array,
    k = 0,
  ): void {
    for (let i = 0; i < count; i++) {
      const p = list[i]!;
      out[i * 2] = dest[p * 2]! - (minus ? minus[p * 2]! * k : 0);
      out[i * 2 + 1] = dest[p * 2 + 1]! - (minus ? minus[p * 2 + 1]! * k : 0);
    }
  }

  function drawLive(params: FaceParams): Rect {
    dest.set(mesh.rest);
    for (const name of basisNames) {
      const v = paramValue(params, name);
      if (v === 0) continue;
      const basis = mesh.bases[name];
      for (let i = 0; i < dest.length; i++) dest[i]! += basis[i]! * v;
    }
    for (let p = 0; p < mesh.pointCount; p++) {
      const dx = dest[p * 2]! - mesh.rest[p * 2]!;
      const dy = dest[p * 2 + 1]! - mesh.rest[p * 2 + 1]!;
      moved[p] = dx * dx + dy * dy > 1e-6 ? 1 : 0;
    }
    restoreRgba();
    cur.clear();
    let minX = w;
    let minY = h;
    let maxX = 0;
    let maxY = 0;
    const tris = mesh.triangles;
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t]!;
      const b = tris[t + 1]!;
      const c = tris[t + 2]!;
      if (!moved[a] && !moved[b] && !moved[c]) continue;
      warpTriangle(frame, base, w, h, dest, mesh.rest, a, b, c, cur);
      for (const v of [a, b, c]) {
        const x = dest[v * 2]!;
        const y = dest[v * 2 + 1]!;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    let rect: Rect =
      maxX > minX
        ? {
            x0: Math.max(0, Math.floor(minX) - 1),
            y0: Math.max(0, Math.floor(minY) - 1),
            x1: Math.min(w, Math.ceil(maxX) + 1),
            y1: Math.min(h, Math.ceil(maxY) + 1),
          }
        : emptyRect();
    const mouthOpacity = smoothstep(0.015, 0.16, params.jawOpen + 0.3 * params.mouthRound * params.jawOpen);
    if (mouthOpacity > 0) {
      gather(mesh.upperInner, innerCount, upper);
      gather(mesh.lowerInner, innerCount, lower);
      const style = { colors: rig.colors, teethHeight: data.teethHeight, mouthWidth: mesh.mouthWidthPx };
      const r = drawMouthInterior(frame, w, h, upper, lower, innerCount, style, mouthOpacity);
      cur.addRect(r);
      rect = unionRect(rect, r);
    }
    for (const [closure, up, low, basis] of [
      [params.blinkRight, mesh.rightLidUpper, mesh.rightLidLower, mesh.bases.blinkRight],
      [params.blinkLeft, mesh.leftLidUpper, mesh.leftLidLower, mesh.bases.blinkLeft],
    ] as const) {
      if (closure < 0.05) continue;
      const n = Math.min(up.length, low.length);
      const open = new Float32Array(n * 2);
      const closed = new Float32Array(n * 2);
      gather(up, n, open, basis, closure);
      gather(up, n, closed);
      const r = drawEyelid(frame, w, h, open, closed, n, rig.colors.eyelid, closure);
      cur.addRect(r);
      rect = unionRect(rect, r);
    }
    rgbaDirty.copyFrom(cur);
    return rect;
  }

  function outputI420(): void {
    restoreI420();
    cur.forEachRowPair((y, x0, x1) => rgbaToI420(frame, w, h, planes, { x0, y0: y, x1, y1: y + 2 }));
    i420Dirty.copyFrom(cur);
  }

  function idleKey(params: FaceParams, format: PixelFormat): string {
    return `${format}:${params.idleFrame}:${basisNames.map((n) => params[n]).join(',')}`;
  }

  function storeIdle(key: string, format: PixelFormat, rect: Rect): void {
    if (data.idle.size >= maxIdle * 2) return;
    const r = evenRect(rect, w, h);
    const rw = r.x1 - r.x0;
    const rh = r.y1 - r.y0;
    if (format === 'rgba') {
      const out = new Int32Array(rw * rh);
      for (let y = 0; y < rh; y++)
        out.set(frame.subarray((r.y0 + y) * w + r.x0, (r.y0 + y) * w + r.x1), y * rw);
      data.idle.set(key, { rect: r, data: new Uint8Array(out.buffer) });
      return;
    }
    const patch = new Uint8Array(i420Size(rw, rh));
    const pp = i420Planes(patch, rw, rh);
    copyPlaneRect(planes, pp, w, r, true);
    data.idle.set(key, { rect: r, data: patch });
  }

  function serveIdle(patch: IdlePatch, format: PixelFormat): void {
    const r = patch.rect;
    const rw = r.x1 - r.x0;
    const rh = r.y1 - r.y0;
    if (format === 'rgba') {
      restoreRgba();
      const src = new Int32Array(patch.data.buffer, patch.data.byteOffset, rw * rh);
      for (let y = 0; y < rh; y++) frame.set(src.subarray(y * rw, (y + 1) * rw), (r.y0 + y) * w + r.x0);
      rgbaDirty.addRect(r);
      return;
    }
    restoreI420();
    copyPlaneRect(planes, i420Planes(patch.data, rw, rh), w, r, false);
    i420Dirty.addRect(r);
  }

  return {
    width: w,
    height: h,
    render(params, ptsMs, format): VideoFrame {
      if (format !== 'rgba' && format !== 'i420') throw new Error(`unsupported pixel format "${format}"`);
      const key = useIdle && params.idleFrame !== undefined ? idleKey(params, format) : null;
      const hit = key ? data.idle.get(key) : undefined;
      if (hit) serveIdle(hit, format);
      else {
        const rect = drawLive(params);
        if (format === 'i420') outputI420();
        if (key) storeIdle(key, format, rect);
      }
      const bytes =
        format === 'rgba' ? new Uint8Array(frame.buffer.slice(0)) : new Uint8Array(i420.buffer.slice(0));
      return { width: w, height: h, format, data: bytes, ptsMs };
    },
    stats() {
      let bytes = 0;
      for (const p of data.idle.values()) bytes += p.data.byteLength;
      return { idleCacheFrames: data.idle.size, idleCacheBytes: bytes, lastRect: rgbaDirty.bounds() };
    },
    close() {
      rgbaDirty.clear();
      i420Dirty.clear();
    },
  };
}

/** Copies rectangle `r` between a full-frame I420 (`full`, width w) and a patch the size of `r`. */
function copyPlaneRect(full: I420Planes, patch: I420Planes, w: number, r: Rect, toPatch: boolean): void {
  const rw = r.x1 - r.x0;
  const rh = r.y1 - r.y0;
  const copy = (a: Uint8Array, b: Uint8Array, fullOff: number, patchOff: number, n: number) => {
    if (toPatch) b.set(a.subarray(fullOff, fullOff + n), patchOff);
    else a.set(b.subarray(patchOff, patchOff + n), fullOff);
  };
  for (let y = 0; y < rh; y++) copy(full.y, patch.y, (r.y0 + y) * w + r.x0, y * rw, rw);
  const cw = w >> 1;
  const prw = rw >> 1;
  for (let y = 0; y < rh >> 1; y++) {
    const fo = ((r.y0 >> 1) + y) * cw + (r.x0 >> 1);
    copy(full.u, patch.u, fo, y * prw, prw);
    copy(full.v, patch.v, fo, y * prw, prw);
  }
}
