import { beforeAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import { blendHeads } from '../animation/blend.js';
import { type FaceParams, restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { i420Planes, i420Size, rgbaToI420 } from './i420.js';

let rig: Rig;
beforeAll(async () => {
  rig = await findPublicAvatar('eileen')!.loadRig('4:3');
});

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Mean absolute RGB difference inside `box` (or outside it when `outside`). */
function diff(a: Uint8Array, b: Uint8Array, w: number, box: Box, outside = false): number {
  let sum = 0;
  let n = 0;
  const h = a.length / 4 / w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inBox = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      if (inBox === outside) continue;
      const o = (y * w + x) * 4;
      sum += Math.abs(a[o]! - b[o]!) + Math.abs(a[o + 1]! - b[o + 1]!) + Math.abs(a[o + 2]! - b[o + 2]!);
      n += 3;
    }
  }
  return sum / n;
}

function boxOf(r: Rig, regions: string[], pad: number): Box {
  const idx = regions.flatMap((name) => r.regions[name] ?? []);
  const xs = idx.map((i) => r.mesh[i * 2]!);
  const ys = idx.map((i) => r.mesh[i * 2 + 1]!);
  return {
    x0: Math.floor(Math.min(...xs) - pad),
    y0: Math.floor(Math.min(...ys) - pad),
    x1: Math.ceil(Math.max(...xs) + pad),
    y1: Math.ceil(Math.max(...ys) + pad),
  };
}

const face = (p: Partial<FaceParams>): FaceParams => ({ ...restFace, ...p });
const lumaOf = (px: Uint8Array, w: number, box: Box) => {
  let s = 0;
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const o = (y * w + x) * 4;
      s += 0.3 * px[o]! + 0.59 * px[o + 1]! + 0.11 * px[o + 2]!;
      n++;
    }
  return s / n;
};

/** A cached draw against the whole-frame draw: equal but for sub-quarter-pixel snaps along edges. */
function expectSameDraw(cached: Uint8Array, live: Uint8Array): void {
  let sum = 0;
  let max = 0;
  for (let k = 0; k < cached.length; k++) {
    const d = Math.abs(cached[k]! - live[k]!);
    sum += d;
    if (d > max) max = d;
  }
  expect(max).toBeLessThanOrEqual(64);
  expect(sum / cached.length).toBeLessThan(0.05);
}
describe('CPU renderer', () => {
  it('rest parameters reproduce the photo', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    const a = r.render(restFace, 0, 'rgba');
    const b = r.render(face({ jawOpen: 0.8 }), 40, 'rgba');
    const c = r.render(restFace, 80, 'rgba');
    expect(a.width).toBe(640);
    expect(a.data.length).toBe(640 * 480 * 4);
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(c.data))).toBe(0);
    expect(b.ptsMs).toBe(40);
  });

  it('an open jaw changes the mouth region visibly and leaves the upper face and frame edges untouched', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    const closed = r.render(restFace, 0, 'rgba').data;
    const open = r.render(face({ jawOpen: 0.9 }), 40, 'rgba').data;
    const mouth = boxOf(rig, ['lipsUpperOuter', 'lipsLowerOuter'], 4);
    expect(diff(closed, open, 640, mouth)).toBeGreaterThan(12);
    // The mouth interior is dark: the opening darkens the mouth box.
    expect(lumaOf(open, 640, mouth)).toBeLessThan(lumaOf(closed, 640, mouth) - 15);
    const lowerLids = ['leftEyeLower0', 'rightEyeLower0'].flatMap((k) => rig.regions[k]!);
    const eyesAndAbove = {
      x0: 0,
      y0: 0,
      x1: 640,
      y1: Math.floor(Math.max(...lowerLids.map((i) => rig.mesh[i * 2 + 1]!))),
    };
    expect(diff(closed, open, 640, eyesAndAbove)).toBe(0);
    const chinBottom = rig.mesh[152 * 2 + 1]!;
    const jawArea = {
      x0: Math.floor(rig.faceBox.x - 0.2 * rig.faceBox.width),
      y0: mouth.y0 - 20,
      x1: Math.ceil(rig.faceBox.x + 1.2 * rig.faceBox.width),
      y1: Math.ceil(chinBottom + 80),
    };
    expect(diff(closed, open, 640, jawArea, true)).toBe(0);
  });

  it('a blink closes the eyes (eye region changes) and nothing else', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    const open = r.render(restFace, 0, 'rgba').data;
    const shut = r.render(face({ blinkLeft: 1, blinkRight: 1 }), 40, 'rgba').data;
    const eyes = boxOf(rig, ['leftEyeUpper0', 'leftEyeLower0', 'rightEyeUpper0', 'rightEyeLower0'], 3);
    expect(diff(open, shut, 640, eyes)).toBeGreaterThan(8);
    const mouth = boxOf(rig, ['lipsUpperOuter', 'lipsLowerOuter'], 10);
    expect(diff(open, shut, 640, mouth)).toBe(0);
    // Dark irises are covered by lid skin: each eye's darkest region gets lighter.
    // (+16 on this face: its lids are shaded, darker than its cheeks.)
    expect(lumaOf(shut, 640, boxOf(rig, ['rightEyeIris'], 2))).toBeGreaterThan(
      lumaOf(open, 640, boxOf(rig, ['rightEyeIris'], 2)) + 12,
    );
  });

  it('head motion moves the head, the shoulders a little, and keeps the frame edges fixed', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    const rest = r.render(restFace, 0, 'rgba').data;
    const moved = r.render(
      face({ headYaw: 0.05, headPitch: 0.03, headRoll: 0.03, breath: 1.2 }),
      40,
      'rgba',
    ).data;
    expect(diff(rest, moved, 640, boxOf(rig, ['faceOval'], 0))).toBeGreaterThan(3);
    // The far sides stay still; the shoulders follow the head a little, fading out before the bottom edge, whose
    // last rows only drift by resampling (well under a level on average), not by moving.
    expect(diff(rest, moved, 640, { x0: 0, y0: 0, x1: 40, y1: 480 })).toBe(0);
    expect(diff(rest, moved, 640, { x0: 0, y0: 476, x1: 640, y1: 480 })).toBeLessThan(0.3);
    expect(diff(rest, moved, 640, { x0: 120, y0: 400, x1: 520, y1: 440 })).toBeGreaterThan(0.3);
    expect(diff(rest, moved, 640, { x0: 2, y0: 2, x1: 638, y1: 478 }, true)).toBeLessThan(0.5);
  });

  it('I420 output equals converting the RGBA output, across a sequence of changing frames', () => {
    const a = createCpuRenderer(rig, { idleCache: false });
    const b = createCpuRenderer(rig, { idleCache: false });
    const anim = createAnimator({ seed: 4 });
    const full = new Uint8Array(i420Size(640, 480));
    for (let i = 0; i < 30; i++) {
      const p = anim.step(
        i * 40,
        i > 5 && i < 20
          ? { jawOpen: (i % 4) / 4, mouthWidth: 0.5, mouthRound: 0, upperLip: 0, lowerLip: 0 }
          : null,
      );
      const yuv = a.render(p, i * 40, 'i420');
      const rgba = b.render(p, i * 40, 'rgba');
      rgbaToI420(
        new Int32Array(rgba.data.buffer, rgba.data.byteOffset, 640 * 480),
        640,
        480,
        i420Planes(full, 640, 480),
      );
      expect(yuv.data.length).toBe(full.length);
      expect(Buffer.compare(Buffer.from(yuv.data), Buffer.from(full))).toBe(0);
    }
  });

  it('idle loop: cached replays equal live rendering, and the loop wraps seamlessly', () => {
    const anim = createAnimator({ seed: 6, idleLoopFrames: 40 });
    const cached = createCpuRenderer(rig, { idleCache: true });
    const live = createCpuRenderer(rig, { idleCache: false });
    let first: number | undefined;
    for (let i = 0; i < 80; i++) {
      const p = anim.step(i * 40, null);
      // Sessions share the loop and start at their own phase (seeded), so the index is offset, not i % 40.
      first ??= p.idleFrame;
      expect(p.idleFrame).toBe(((first ?? 0) + i) % 40);
      const c = cached.render(p, i * 40, 'i420');
      if (i >= 40) {
        const l = live.render(p, i * 40, 'i420');
        expect(Buffer.compare(Buffer.from(c.data), Buffer.from(l.data))).toBe(0);
      }
    }
    // One cached head per loop pose (I420; RGBA frames are drawn live), shared by every renderer of the rig.
    expect(cached.stats().idleCacheFrames).toBe(40);
    expect(createCpuRenderer(structuredClone(rig)).stats().idleCacheFrames).toBe(40);
    // The step from the loop's last pose to its first is no bigger than a typical step inside the loop.
    const frames = Array.from(
      { length: 41 },
      (_, k) => live.render(anim.idleLoop.at(k % 40), k * 40, 'rgba').data,
    );
    const steps = frames
      .slice(1, 40)
      .map((f, i) => diff(frames[i]!, f, 640, { x0: 0, y0: 0, x1: 640, y1: 480 }));
    const wrap = diff(frames[39]!, frames[40]!, 640, { x0: 0, y0: 0, x1: 640, y1: 480 });
    expect(wrap).toBeLessThanOrEqual(Math.max(...steps) + 1e-9);
    expect(wrap).toBeLessThan(1);
  });

  it('draws a parameter change that moves nothing by a quarter pixel as no change at all', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    const rest = Buffer.from(r.render(restFace, 0, 'i420').data);
    // Brows move the brow points by up to ~3.5 % of the face height per unit: 0.002 is well under 0.25 px.
    const tiny = Buffer.from(r.render({ ...restFace, brows: 0.002 }, 40, 'i420').data);
    const visible = Buffer.from(r.render({ ...restFace, brows: 0.3 }, 80, 'i420').data);
    expect(Buffer.compare(tiny, rest)).toBe(0);
    expect(Buffer.compare(visible, rest)).not.toBe(0);
  });

  it('speech on a cached head pose matches drawing the whole frame', () => {
    const anim = createAnimator({ seed: 9, idleLoopFrames: 30 });
    const cached = createCpuRenderer(rig, { idleCache: true, maxIdleFrames: 1000 });
    const live = createCpuRenderer(rig, { idleCache: false });
    let speech = 0;
    for (let i = 0; i < 140; i++) {
      const talking = i > 40 && i < 110;
      const p = anim.step(
        i * 40,
        talking
          ? {
              jawOpen: 0.5 + 0.45 * Math.sin(i * 0.9),
              mouthWidth: 0.5 + 0.3 * Math.sin(i * 0.37),
              mouthRound: Math.max(0, Math.sin(i * 0.23)),
              upperLip: 0.2,
              lowerLip: i % 9 === 0 ? 1 : 0,
            }
          : null,
      );
      const c = cached.render(p, i * 40, 'i420');
      const l = live.render(p, i * 40, 'i420');
      if (p.idleFrame === undefined) speech++;
      // Identical but where one path snapped a sub-quarter-pixel change the other drew (each snaps relative to
      // its own reference): then a few samples along edges differ by up to a quarter of the edge's contrast.
      expectSameDraw(c.data, l.data);
    }
    expect(speech).toBeGreaterThan(60);
    // While speaking the cached renderer redrew only the mouth area, not the swaying head.
    expect(cached.stats().lastRect.y1 - cached.stats().lastRect.y0).toBeLessThan(480);
  });

  it("a reply's start and end blend on cached heads that match drawing the whole frame", () => {
    const anim = createAnimator({ seed: 4 });
    const blendKeys = new Set(blendHeads(anim.idleLoop).map(({ pose }) => `${pose.frame}:${pose.brows}`));
    const cached = createCpuRenderer(rig, { idleCache: true, maxIdleFrames: 1000 });
    const live = createCpuRenderer(rig, { idleCache: false });
    let blended = 0;
    for (let i = 0; i < 130; i++) {
      const talking = i >= 10 && i < 60;
      const p = anim.step(
        i * 40,
        talking
          ? {
              jawOpen: 0.4 + 0.3 * Math.sin(i * 0.9),
              mouthWidth: 0.5,
              mouthRound: 0,
              upperLip: 0,
              lowerLip: 0,
            }
          : null,
      );
      expect(p.pose).toBeDefined();
      if (!blendKeys.has(`${p.pose!.frame}:${p.pose!.brows}`)) continue;
      blended++;
      const before = cached.stats().idleCacheFrames;
      const c = cached.render(p, i * 40, 'i420');
      // Drawn at most once into the cache (the way back passes the way in's poses); the frame on it is the
      // uncached draw but for sub-quarter-pixel snaps.
      expect(cached.stats().idleCacheFrames).toBeLessThanOrEqual(before + 1);
      const l = live.render(p, i * 40, 'i420');
      expectSameDraw(c.data, l.data);
    }
    // Into speech and back out: 7 blended frames each way.
    expect(blended).toBeGreaterThanOrEqual(12);
  });

  it('rejects an unknown pixel format', () => {
    const r = createCpuRenderer(rig, { idleCache: false });
    expect(() => r.render(restFace, 0, 'bgra' as never)).toThrow(/pixel format/);
  });
});
