import type { FaceParams } from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { basisNames } from './basis-names.js';
import {
  at,
  basisCount,
  basisReach,
  fillValues,
  headBases,
  INVISIBLE_SHIFT_PX,
  isHeadBasis,
  NOSE_TIP,
} from './basis-values.js';
import { bufferView, copyBytes } from './copy-bytes.js';
import { type CpuRenderer, type CpuRendererOptions, QUIET_SHIFT_PX } from './cpu-renderer-types.js';
import { buildEyeRegions } from './eye-regions.js';
import { createFrameEyes, gatherPoints } from './frame-eyes.js';
import { i420Planes, rgbaPairToI420Masked } from './i420.js';
import type { LensMask } from './lens-fill.js';
import { lensTriangles } from './lens-zones.js';
import { drawMouthInterior, type MouthInteriorFrame, type MouthInteriorStyle } from './mouth-interior.js';
import { applyLayer, captureLayer, PairSpans, type PoseLayer } from './pose-layer.js';
import type { PixelFormat, VideoFrame } from './renderer.js';
import { acquireRigData, releaseRigData } from './rig-data.js';
import { RowSpans } from './row-spans.js';
import { smoothstep } from './smoothstep.js';
import { type Rect, type RowClip, warpTriangle } from './warp-raster.js';

// The CPU renderer: warps the rig's photo by the mesh, paints the mouth interior and eyelids, and converts to
// I420. A frame is drawn relative to a reference it shares most pixels with: the photo itself, or the head
// drawn at the frame's idle-loop pose (cached once per avatar and pose, shared by all sessions in the thread).
// Only the triangles of parameters that differ from the reference are re-warped — while speaking that is the
// mouth (plus brows and eyes when they move), not the whole swaying head.

export function createCpuRenderer(rig: Rig, options: CpuRendererOptions = {}): CpuRenderer {
  const data = acquireRigData(rig);
  const { mesh, base, baseI420, triangles } = data;
  const w = rig.width;
  const h = rig.height;
  const frame = base.slice();
  const i420 = baseI420.slice();
  const planes = i420Planes(i420, w, h);
  const basePlanes = i420Planes(baseI420, w, h);
  const useCache = options.idleCache ?? true;
  const maxLayers = options.maxIdleFrames ?? 512;
  const poseCache = { hits: 0, drawn: 0, full: 0, warmed: 0 };
  const dest = new Float32Array(mesh.pointCount * 2);
  const values = new Float32Array(basisCount);
  const layerValues = new Float32Array(basisCount);
  const restValues = new Float32Array(basisCount);
  const reach = basisReach(mesh.bases);
  const quietSq = (options.quietShiftPx ?? QUIET_SHIFT_PX) ** 2;
  /** Per point, how far this frame moves it from the reference (filled only against a cached pose). */
  const moved = new Float32Array(mesh.pointCount * 2);
  const inLens = lensTriangles(mesh);
  // Triangles left as the pose this frame: warped in the ring pass instead (clipped to 2 px around the core).
  const quiet = new Uint32Array(mesh.triangles.length / 3);
  const quietStamp = new Uint8Array(mesh.triangles.length / 3);
  let quietCount = 0;
  // Stamps mark, per frame, triangles already drawn and the pixels of the core (redrawn and colour-converted:
  // what the mouth, lids and gaze may draw over). Ring pixels are only restored to the photo next frame.
  const triStamp = new Uint8Array(mesh.triangles.length / 3);
  const drawn = new Uint8Array(w * h);
  let stamp = 0;
  const rgbaDirty = new RowSpans(w, h);
  const convert = new RowSpans(w, h);
  const i420Dirty = new PairSpans(h >> 1);
  const innerCount = Math.min(mesh.upperInner.length, mesh.lowerInner.length);
  const upper = new Float32Array(innerCount * 2);
  const lower = new Float32Array(innerCount * 2);
  let closed = false;
  // The inner lips as photographed (before the rig's closed pose), where the photo's teeth are.
  const photoInner = (list: readonly number[]) => {
    const pts = mesh.photoRest ?? mesh.rest;
    const out = new Float32Array(innerCount * 2);
    for (let i = 0; i < innerCount; i++) {
      out[i * 2] = pts[list[i]! * 2]!;
      out[i * 2 + 1] = pts[list[i]! * 2 + 1]!;
    }
    return out;
  };
  const mouthStyle: MouthInteriorStyle = {
    colors: rig.colors,
    teethHeight: data.teethHeight,
    mouthWidth: mesh.mouthWidthPx,
    ...(data.photoShowsTeeth
      ? {
          photo: {
            pixels: data.photo,
            width: w,
            restUpper: photoInner(mesh.upperInner),
            restLower: photoInner(mesh.lowerInner),
          },
        }
      : {}),
  };
  const mouthFrame: MouthInteriorFrame = { opacity: 0, tuck: 0, round: 0, shiftX: 0, shiftY: 0 };
  const restInnerOf = (list: readonly number[], count: number) => {
    const out = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      out[i * 2] = mesh.rest[list[i]! * 2]!;
      out[i * 2 + 1] = mesh.rest[list[i]! * 2 + 1]!;
    }
    return out;
  };
  // Gaze: the iris is moved by redrawing each eye's opening (see eye-gaze.ts); set per frame by draw().
  let gazeX = 0;
  let gazeY = 0;
  const eyes = buildEyeRegions(mesh, restInnerOf);
  const frameEyes = createFrameEyes(rig, mesh, eyes, frame, base);
  const addConverted = (r: Rect) => convert.addRect(r);

  // The span sinks run once per warped row: kept to the stamp and the row spans, nothing else.
  const coreSink = {
    add(y: number, x0: number, x1: number) {
      const s = stamp;
      for (let i = y * w + x0, e = y * w + x1; i < e; i++) drawn[i] = s;
      convert.add(y, x0, x1);
    },
  };
  const ringSink = {
    add(y: number, x0: number, x1: number) {
      rgbaDirty.add(y, x0, x1);
    },
  };

  function nextStamp(): void {
    stamp++;
    if (stamp > 255) {
      triStamp.fill(0);
      skipStamp.fill(0);
      quietStamp.fill(0);
      drawn.fill(0);
      stamp = 1;
    }
  }

  const frameView = bufferView(frame);
  const baseView = bufferView(base);
  function restoreRgba(): void {
    for (let y = rgbaDirty.y0; y < rgbaDirty.y1; y++) {
      const x0 = rgbaDirty.min[y]!;
      const x1 = rgbaDirty.max[y]!;
      if (x1 > x0)
        copyBytes(
          frameView,
          frame.byteOffset + (y * w + x0) * 4,
          baseView,
          base.byteOffset + (y * w + x0) * 4,
          (x1 - x0) * 4,
        );
    }
    rgbaDirty.clear();
  }

  const atRest = (p: number) => dest[p * 2] === mesh.rest[p * 2] && dest[p * 2 + 1] === mesh.rest[p * 2 + 1];

  // The ring only needs to reach 2 px past the core (2×2 chroma blocks along its edge).
  const ringClip: RowClip = { min: new Int32Array(h), max: new Int32Array(h), y0: 0, y1: 0 };

  /** Squared displacement from rest under which a vertex counts as not moved (INVISIBLE_SHIFT_PX). */
  const INVISIBLE_SQ = INVISIBLE_SHIFT_PX * INVISIBLE_SHIFT_PX;
  const nearRest = (p: number) => {
    const dx = dest[p * 2]! - mesh.rest[p * 2]!;
    const dy = dest[p * 2 + 1]! - mesh.rest[p * 2 + 1]!;
    return dx * dx + dy * dy < INVISIBLE_SQ;
  };
  const stillAt = (p: number) => moved[p * 2]! ** 2 + moved[p * 2 + 1]! ** 2 < quietSq;
  // Triangles a head list left as the photo this frame (see warpList's `mode`).
  const skipStamp = new Uint8Array(mesh.triangles.length / 3);

  /**
   * `mode` 'head': drawing against the photo itself (no cached pose), a triangle the head moved by less than a
   * visible distance at every corner is left as the photo already in the frame: a head off the cached poses moves
   * the shoulders and the fringes of the head by fractions of a pixel over wide areas, and re-warping them would
   * only blur them. A ring leaves such a triangle as it is (it is the reference); an eye's core still draws it.
   * 'quiet': against a cached pose, a triangle outside the lenses' zones whose corners all move less than
   * quietShiftPx from the pose is left as the pose (listed in `quiet` for the ring pass).
   */
  function warpList(
    list: Uint32Array,
    sink: { add(y: number, x0: number, x1: number): void },
    clip?: RowClip,
    mode: 'core' | 'head' | 'ring' | 'quiet' = 'core',
    count = list.length,
  ): void {
    const tris = mesh.triangles;
    for (let i = 0; i < count; i++) {
      const t = list[i]!;
      if (triStamp[t] === stamp) continue;
      if (skipStamp[t] === stamp && mode !== 'core') continue;
      const a = tris[t * 3]!;
      const b = tris[t * 3 + 1]!;
      const c = tris[t * 3 + 2]!;
      if (mode === 'head' && nearRest(a) && nearRest(b) && nearRest(c)) {
        skipStamp[t] = stamp;
        continue;
      }
      if (mode === 'quiet' && !inLens[t] && stillAt(a) && stillAt(b) && stillAt(c)) {
        if (quietStamp[t] !== stamp) {
          quietStamp[t] = stamp;
          quiet[quietCount++] = t;
        }
        continue;
      }
      triStamp[t] = stamp;
      // A triangle at rest already holds the photo (restoreRgba): resampling it would only blur it.
      const still = atRest(a) && atRest(b) && atRest(c);
      warpTriangle(frame, base, w, h, dest, mesh.rest, a, b, c, sink, !still, clip);
    }
  }

  /** Draws into the RGBA frame what differs between `v` and the reference `ref` (restored to the photo first). */
  function drawLocal(v: Float32Array, ref: Float32Array): void {
    for (let b = 0; b < basisCount; b++) {
      if (v[b] !== ref[b] && Math.abs(v[b]! - ref[b]!) * reach[b]! < INVISIBLE_SHIFT_PX) v[b] = ref[b]!;
    }
    dest.set(mesh.rest);
    for (let b = 0; b < basisCount; b++) {
      const k = v[b]!;
      if (k === 0) continue;
      const basis = mesh.bases[basisNames[b]!];
      for (let i = 0; i < dest.length; i++) dest[i]! += basis[i]! * k;
    }
    nextStamp();
    restoreRgba();
    convert.clear();
    const gazing = gazeX !== 0 || gazeY !== 0;
    // Against a cached pose the frame's RGBA holds the photo, not the pose, so every moved triangle is redrawn
    // (but those that barely moved from the pose, see QUIET_SHIFT_PX).
    // Other parameters' triangles are drawn first, so a head list only ever leaves out what nothing else moved.
    const headSkip = ref === restValues;
    const quietMode = !headSkip && quietSq > 0 ? 'quiet' : 'core';
    quietCount = 0;
    if (quietMode === 'quiet') {
      moved.fill(0);
      for (let b = 0; b < basisCount; b++) {
        const k = v[b]! - ref[b]!;
        if (k === 0) continue;
        const basis = mesh.bases[basisNames[b]!];
        for (let i = 0; i < moved.length; i++) moved[i]! += basis[i]! * k;
      }
    }
    for (let b = 0; b < basisCount; b++)
      if (v[b] !== ref[b] && !(headSkip && isHeadBasis[b]))
        warpList(triangles.core[basisNames[b]!], coreSink, undefined, quietMode);
    if (headSkip)
      for (const b of headBases)
        if (v[b] !== ref[b]) warpList(triangles.core[basisNames[b]!], coreSink, undefined, 'head');
    // A moving iris redraws both eyes (the triangles a blink would move), whatever else changed.
    if (gazing) for (const e of eyes) warpList(e.core, coreSink);
    convert.clipAround(2, ringClip);
    for (let b = 0; b < basisCount; b++)
      if (v[b] !== ref[b]) warpList(triangles.ring[basisNames[b]!], ringSink, ringClip, 'ring');
    if (gazing) for (const e of eyes) warpList(e.ring, ringSink, ringClip, 'ring');
    warpList(quiet, ringSink, ringClip, 'ring', quietCount);
    // Interior and lids draw only over core pixels, whose neighbours the ring has made current.
    const mask: LensMask = { fresh: drawn, drawn, stamp };
    // A pressed closure ("m" right after an open vowel) keeps the jaw's value but not its opening: the interior
    // goes with the opening, or a sliver of teeth would show between the pressed lips.
    const jaw = Math.max(0, v[at.jawOpen]! - v[at.lipPress]!);
    const mouthOpacity = smoothstep(0.015, 0.16, jaw + 0.3 * v[at.mouthRound]! * jaw);
    const tuck = Math.max(0, Math.min(1, v[at.lowerLip]!));
    if (mouthOpacity > 0 || tuck > 0) {
      gatherPoints(dest, mesh.upperInner, innerCount, upper);
      gatherPoints(dest, mesh.lowerInner, innerCount, lower);
      mouthFrame.opacity = Math.max(mouthOpacity, tuck);
      mouthFrame.tuck = tuck;
      mouthFrame.round = Math.max(0, Math.min(1, v[at.mouthRound]!));
      // The upper jaw moves with the head only: its shift at the nose tip finds the photo's teeth.
      mouthFrame.shiftX = dest[NOSE_TIP * 2]! - mesh.rest[NOSE_TIP * 2]!;
      mouthFrame.shiftY = dest[NOSE_TIP * 2 + 1]! - mesh.rest[NOSE_TIP * 2 + 1]!;
      convert.addRect(drawMouthInterior(frame, w, h, upper, lower, innerCount, mouthStyle, mouthFrame, mask));
    }
    if (gazing) frameEyes.gaze(dest, gazeX, gazeY, mask, addConverted);
    frameEyes.lids(dest, v[at.blinkRight]!, v[at.blinkLeft]!, mask, addConverted);
    // The core's rows join the ring's once per frame, not once per warped row.
    rgbaDirty.addSpans(convert);
  }

  /** Colour-converts the pixels drawLocal drew into the I420 frame. */
  function convertLocal(): void {
    convert.forEachRowPair((y, x0, x1) => {
      rgbaPairToI420Masked(frame, w, planes, y, x0, x1, drawn, stamp);
      i420Dirty.add(y >> 1, x0, x1);
    });
  }

  /** The cached head of the frame's pose, drawn and cached now if missing (`count`: a frame's answer, for stats). */
  function layerFor(params: FaceParams, count = true): PoseLayer | null {
    const pose =
      params.pose ??
      (params.idleFrame !== undefined ? { frame: params.idleFrame, brows: params.brows } : null);
    if (!useCache || !pose) return null;
    layerValues.fill(0);
    for (const b of headBases) layerValues[b] = values[b]!;
    layerValues[at.brows] = pose.brows;
    const key = `${pose.frame}:${layerValues[at.headYaw]}:${layerValues[at.headPitch]}:${layerValues[at.headRoll]}:${layerValues[at.breath]}:${layerValues[at.brows]}`;
    const cached = data.layers.get(key);
    if (cached && count) poseCache.hits++;
    else if (!cached && data.layers.size >= maxLayers && count) poseCache.full++;
    if (cached || data.layers.size >= maxLayers) return cached ?? null;
    if (count) poseCache.drawn++;
    else poseCache.warmed++;
    applyLayer(planes, basePlanes, w, i420Dirty, null);
    // The cached head looks at the viewer; gaze is drawn per frame on top.
    const gaze = [gazeX, gazeY];
    gazeX = 0;
    gazeY = 0;
    drawLocal(layerValues, restValues);
    [gazeX, gazeY] = gaze as [number, number];
    convertLocal();
    const layer = captureLayer(planes, w, i420Dirty, layerValues);
    data.layers.set(key, layer);
    data.layerBytes += layer.data.byteLength;
    return layer;
  }

  function warmPose(params: FaceParams): boolean {
    const before = poseCache.warmed;
    fillValues(params, values);
    gazeX = 0;
    gazeY = 0;
    // A pose drawn here leaves the I420 frame holding it and i420Dirty saying where: the next draw() restores it.
    layerFor(params, false);
    return poseCache.warmed > before;
  }

  function draw(params: FaceParams, ptsMs: number, format: PixelFormat): VideoFrame {
    if (format !== 'rgba' && format !== 'i420') throw new Error(`unsupported pixel format "${format}"`);
    fillValues(params, values);
    gazeX = params.gazeX ?? 0;
    gazeY = params.gazeY ?? 0;
    if (format === 'rgba') {
      drawLocal(values, restValues);
      return { width: w, height: h, format, data: new Uint8Array(frame.buffer), ptsMs };
    }
    const layer = layerFor(params);
    applyLayer(planes, basePlanes, w, i420Dirty, layer);
    drawLocal(values, layer ? layer.values : restValues);
    convertLocal();
    return { width: w, height: h, format, data: i420, ptsMs };
  }

  return {
    width: w,
    height: h,
    render(params, ptsMs, format): VideoFrame {
      const view = draw(params, ptsMs, format);
      return { ...view, data: view.data.slice() };
    },
    renderView: draw,
    warmPose,
    stats() {
      return {
        idleCacheFrames: data.layers.size,
        idleCacheBytes: data.layerBytes,
        lastRect: rgbaDirty.bounds(),
        lastQuiet: quietCount,
        poseCache: { ...poseCache },
      };
    },
    close() {
      if (closed) return;
      closed = true;
      releaseRigData(data);
    },
  };
}
