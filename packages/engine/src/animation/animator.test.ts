import { describe, expect, it } from 'vitest';
import { createAnimator } from './animator.js';
import { blinkClosure } from './blink.js';
import type { FaceParams, MouthParams } from './params.js';

const open: MouthParams = { jawOpen: 0.9, mouthWidth: 0.6, mouthRound: 0.1, upperLip: 0.2, lowerLip: 0 };

function run(seed: number, frames: number, mouthAt: (i: number) => MouthParams | null): FaceParams[] {
  const a = createAnimator({ seed });
  return Array.from({ length: frames }, (_, i) => a.step(i * 40, mouthAt(i)));
}

describe('animator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const speech = (i: number) => (i > 50 && i < 150 ? { ...open, jawOpen: 0.5 + 0.4 * Math.sin(i) } : null);
    const a = run(7, 400, speech);
    const b = run(7, 400, speech);
    const c = run(8, 400, speech);
    expect(a).toEqual(b);
    expect(a.map((p) => p.headYaw)).not.toEqual(c.map((p) => p.headYaw));
  });

  it('idle is alive: blinks at natural intervals and the head moves', () => {
    const frames = run(3, 25 * 30, () => null);
    const blinkStarts = frames.filter((p, i) => p.blinkLeft > 0.5 && (frames[i - 1]?.blinkLeft ?? 0) <= 0.5);
    // 30 s at one blink per 2-6 s (some doubled).
    expect(blinkStarts.length).toBeGreaterThanOrEqual(5);
    expect(blinkStarts.length).toBeLessThanOrEqual(20);
    const yaws = frames.map((p) => p.headYaw);
    expect(Math.max(...yaws) - Math.min(...yaws)).toBeGreaterThan(0.01);
    expect(frames.every((p) => p.jawOpen === 0 && typeof p.idleFrame === 'number')).toBe(true);
  });

  it('blink closes and opens within 150-250 ms', () => {
    expect(blinkClosure(0, 200)).toBe(0);
    expect(blinkClosure(76, 200)).toBeCloseTo(1, 5);
    expect(blinkClosure(200, 200)).toBe(0);
    expect(blinkClosure(150, 200)).toBeGreaterThan(0);
  });

  it('eases speech onset and end: no jaw jump above 0.3 per frame', () => {
    const frames = run(1, 120, (i) =>
      i >= 20 && i < 60 ? (i % 6 < 3 ? open : { ...open, jawOpen: 0 }) : null,
    );
    for (let i = 1; i < frames.length; i++) {
      expect(Math.abs(frames[i]!.jawOpen - frames[i - 1]!.jawOpen)).toBeLessThanOrEqual(0.3 + 1e-9);
    }
    expect(Math.max(...frames.map((p) => p.jawOpen))).toBeGreaterThan(0.7);
    // Back to the idle loop after speech. The loop index is the session's own phase (sessions share one loop
    // and start at different points; speech plays it faster), so it is not 119 itself: it advances by one.
    expect(frames[119]!.jawOpen).toBe(0);
    expect(frames[119]!.idleFrame).toBe(((frames[118]!.idleFrame ?? -2) + 1) % 160);
    expect(frames[30]!.idleFrame).toBeUndefined();
  });

  it('interrupt returns the mouth to rest within 3 frames even if speech keeps coming', () => {
    const a = createAnimator({ seed: 5 });
    for (let i = 0; i < 20; i++) a.step(i * 40, open);
    expect(a.step(20 * 40, open).jawOpen).toBeGreaterThan(0.8);
    a.interrupt();
    const after = [21, 22, 23].map((i) => a.step(i * 40, open));
    expect(after[0]!.jawOpen).toBeLessThan(0.5);
    expect(after[2]!.jawOpen).toBe(0);
    expect(after[2]!.mouthWidth).toBe(0.5);
  });

  it('lips press together on a closure frame right after an open vowel, while the jaw keeps easing', () => {
    const closure: MouthParams = { ...open, jawOpen: 0, upperLip: 0 };
    const frames = run(4, 14, (i) => (i < 8 ? open : i === 8 ? closure : open));
    expect(frames[7]!.lipPress ?? 0).toBe(0);
    expect(frames[8]!.lipPress).toBe(1);
    expect(frames[8]!.jawOpen).toBeGreaterThan(0.5);
    // Then the press lets go over the next frames.
    expect(frames[9]!.lipPress!).toBeLessThan(0.5);
    expect(frames[12]!.lipPress ?? 0).toBe(0);
  });

  it('the smile relaxes while speaking and comes back in the pause', () => {
    const neutral: MouthParams = { ...open, mouthWidth: 0.5 };
    const frames = run(6, 80, (i) => (i >= 10 && i < 40 ? neutral : null));
    expect(frames[35]!.mouthWidth).toBeLessThan(0.5 - 0.1);
    expect(frames[79]!.mouthWidth).toBe(0.5);
    expect(frames[79]!.idleFrame).toBeDefined();
  });

  it('speech moves the brows with emphasis and adds head motion', () => {
    const speech = (i: number) => (i >= 10 ? { ...open, jawOpen: i % 8 < 2 ? 0.9 : 0.1 } : null);
    const talking = run(11, 200, speech);
    const idle = run(11, 200, () => null);
    const browSpan = (f: FaceParams[]) =>
      Math.max(...f.map((p) => p.brows)) - Math.min(...f.map((p) => p.brows));
    expect(browSpan(talking)).toBeGreaterThan(browSpan(idle) + 0.1);
    // The head moves along the shared loop, faster while talking.
    const travelled = (f: FaceParams[]) =>
      f.slice(1).reduce((s, p, i) => s + ((p.pose!.frame - f[i]!.pose!.frame + 160) % 160), 0);
    expect(travelled(idle)).toBe(199);
    expect(travelled(talking)).toBeGreaterThan(1.4 * 199);
  });

  it('every frame carries its idle-loop pose, with the head exactly at that pose', () => {
    const a = createAnimator({ seed: 12 });
    for (let i = 0; i < 300; i++) {
      const p = a.step(i * 40, i > 100 && i < 200 ? open : null);
      const loop = a.idleLoop.at(p.pose!.frame);
      expect([p.headYaw, p.headPitch, p.headRoll, p.breath]).toEqual([
        loop.headYaw,
        loop.headPitch,
        loop.headRoll,
        loop.breath,
      ]);
      expect(p.pose!.brows).toBe(loop.brows);
      if (p.idleFrame !== undefined) expect(p.brows).toBe(loop.brows);
    }
  });
});
