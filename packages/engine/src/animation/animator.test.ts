import { describe, expect, it } from 'vitest';
import { idleStateForAgentState } from './agent-state.js';
import { createAnimator } from './animator.js';
import { blendHeads } from './blend.js';
import { blinkClosure } from './blink.js';
import { BREATH_STEP, STEP } from './head-motion.js';
import type { FaceParams, MouthParams } from './params.js';
import { warmupPoses } from './warmup-poses.js';

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

  it("presses the lips by the audio path's closure even where its jaw target stays a little open", () => {
    const m: MouthParams = { ...open, jawOpen: 0.15, closure: 0.8 };
    const loose: MouthParams = { ...open, jawOpen: 0.15 };
    const frames = run(4, 14, (i) => (i < 8 ? open : i === 8 ? m : loose));
    expect(frames[7]!.lipPress ?? 0).toBe(0);
    // Half sure is a full press: half-pressed lips read apart.
    expect(frames[8]!.lipPress).toBe(1);
    expect(frames[9]!.lipPress!).toBeLessThan(0.5);
    const unsure = run(4, 10, (i) => (i < 8 ? open : i === 8 ? { ...m, closure: 0.2 } : loose));
    expect(unsure[8]!.lipPress).toBeCloseTo(0.4, 9);
    const plain = run(4, 10, (i) => (i < 8 ? open : loose));
    expect(plain[8]!.lipPress ?? 0).toBe(0);
  });

  it('lets a press go faster where the lip-sync already opens for a vowel than where the lips may still be shut', () => {
    const m: MouthParams = { ...open, jawOpen: 0.15, closure: 0.8 };
    const held: MouthParams = { ...open, jawOpen: 0.15 };
    const vowel = run(4, 12, (i) => (i < 8 ? open : i === 8 ? m : open));
    const inClosure = run(4, 12, (i) => (i < 8 ? open : i === 8 ? m : held));
    // The renderer shows a press's first part fastest (lip-seal.ts pressedShare): a press of 0.12 left on the vowel
    // two frames on showed a third of the pressed pose, so there it goes at 0.35² a frame (0.35 before).
    expect(vowel[9]!.lipPress!).toBeCloseTo(0.35 * 0.35, 9);
    expect(vowel[10]!.lipPress ?? 0).toBeLessThan(0.02);
    expect(inClosure[9]!.lipPress!).toBeCloseTo(0.35, 9);
    expect(inClosure[10]!.lipPress!).toBeGreaterThan(0.1);
  });

  it('the smile relaxes while speaking and comes back in the pause', () => {
    const neutral: MouthParams = { ...open, mouthWidth: 0.5 };
    const frames = run(6, 80, (i) => (i >= 10 && i < 40 ? neutral : null));
    expect(frames[35]!.mouthWidth).toBeLessThan(0.5 - 0.1);
    expect(frames[79]!.mouthWidth).toBe(0.5);
    expect(frames[79]!.idleFrame).toBeDefined();
  });

  it('speech moves the brows with emphasis', () => {
    const speech = (i: number) => (i >= 10 ? { ...open, jawOpen: i % 8 < 2 ? 0.9 : 0.1 } : null);
    const talking = run(11, 200, speech);
    const idle = run(11, 200, () => null);
    const browSpan = (f: FaceParams[]) =>
      Math.max(...f.map((p) => p.brows)) - Math.min(...f.map((p) => p.brows));
    expect(browSpan(talking)).toBeGreaterThan(browSpan(idle) + 0.1);
  });

  it('speech nods on stresses and phrase ends (3–6°) and changes tilt between phrases', () => {
    const a = createAnimator({ seed: 21 });
    const frames = Array.from({ length: 500 }, (_, i) => a.step(i * 40, speechTrack(i)));
    const deg = (r: number) => (r * 180) / Math.PI;
    const pitch = frames.map((p) => deg(p.headPitch));
    expect(Math.max(...pitch) - Math.min(...pitch)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pitch) - Math.min(...pitch)).toBeLessThanOrEqual(6.5);
    // 20 s with a stress every ~1.5 s and a pause every 3 s.
    expect(a.counts.nods).toBeGreaterThanOrEqual(8);
    const tilts = new Set(frames.filter((p) => p.pose).map((p) => Math.round(deg(p.headRoll))));
    expect(tilts.size).toBeGreaterThanOrEqual(2);
    // Without speech the head keeps to the small idle sway.
    const idle = run(21, 500, () => null).map((p) => deg(p.headPitch));
    expect(Math.max(...idle) - Math.min(...idle)).toBeLessThan(2);
  });

  it('every frame, blends between modes included, lands on a pose from a small set', () => {
    const a = createAnimator({ seed: 12 });
    const blendKeys = new Set(
      blendHeads(a.idleLoop).map(
        ({ head, pose }) =>
          `${pose.frame}:${head.headYaw}:${head.headPitch}:${head.headRoll}:${head.breath}:${pose.brows}`,
      ),
    );
    const poses = new Set<string>();
    let blendFrames = 0;
    for (let i = 0; i < 3000; i++) {
      const block = Math.floor(i / 150) % 4;
      a.setIdleState(block === 1 ? 'listening' : block === 3 ? 'thinking' : 'idle');
      const p = a.step(i * 40, block === 2 ? speechTrack(i) : null);
      expect(p.pose).toBeDefined();
      if (!p.pose) continue;
      // The idle loop's own poses (idle frames, and a reply's first frames while the head waits for a gate).
      if (p.pose.frame < 10_000) {
        const loop = a.idleLoop.at(p.pose.frame);
        expect([p.headYaw, p.headPitch, p.headRoll, p.breath]).toEqual([
          loop.headYaw,
          loop.headPitch,
          loop.headRoll,
          loop.breath,
        ]);
        continue;
      }
      const key = `${p.pose.frame}:${p.headYaw}:${p.headPitch}:${p.headRoll}:${p.breath}:${p.pose.brows}`;
      if (blendKeys.has(key)) {
        blendFrames++;
        continue;
      }
      // Every other head is on the lattice.
      for (const [v, step] of [
        [p.headYaw, STEP],
        [p.headPitch, STEP],
        [p.headRoll, STEP],
        [p.breath, BREATH_STEP],
      ] as const)
        expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-9);
      poses.add(key);
    }
    expect(blendFrames).toBeGreaterThan(20);
    // Speech, listening and thinking together stay within ~100 cached heads, the blends within their listed set.
    expect(poses.size).toBeGreaterThan(10);
    expect(poses.size).toBeLessThanOrEqual(110);
    expect(blendKeys.size).toBeLessThanOrEqual(240);
  });

  it('a blend moves the head smoothly: at most 3 lattice steps of roll a frame', () => {
    const a = createAnimator({ seed: 3 });
    const frames: FaceParams[] = [];
    for (let i = 0; i < 600; i++)
      frames.push(a.step(i * 40, i % 200 >= 40 && i % 200 < 120 ? speechTrack(i) : null));
    for (let i = 2; i < frames.length; i++) {
      const d = Math.abs(frames[i]!.headRoll - frames[i - 1]!.headRoll) / STEP;
      expect(d).toBeLessThanOrEqual(3 + 1e-9);
    }
  });

  it('the eyes make saccades: quick jumps between fixations, more while speaking', () => {
    const saccades = (mouth: (i: number) => MouthParams | null) => {
      const a = createAnimator({ seed: 4 });
      const f = Array.from({ length: 750 }, (_, i) => a.step(i * 40, mouth(i)));
      return { frames: f, count: a.counts.saccades };
    };
    const idle = saccades(() => null);
    const talking = saccades(speechTrack);
    // 30 s idle: a fixation lasts ~1–3 s.
    expect(idle.count).toBeGreaterThanOrEqual(8);
    expect(talking.count).toBeGreaterThan(idle.count);
    const gx = idle.frames.map((p) => p.gazeX ?? 0);
    expect(Math.max(...gx) - Math.min(...gx)).toBeGreaterThan(0.4);
    // A jump is done within 3 frames: no frame-to-frame drift slower than that between fixations.
    let moving = 0;
    let longest = 0;
    for (let i = 1; i < gx.length; i++) {
      moving = Math.abs(gx[i]! - gx[i - 1]!) > 0.005 ? moving + 1 : 0;
      longest = Math.max(longest, moving);
    }
    expect(longest).toBeLessThanOrEqual(4);
  });

  it('idle, listening and thinking look different', () => {
    const settle = (state: 'idle' | 'listening' | 'thinking') => {
      const a = createAnimator({ seed: 8 });
      a.setIdleState(state);
      const f = Array.from({ length: 400 }, (_, i) => a.step(i * 40, null)).slice(50);
      const mean = (k: (p: FaceParams) => number) => f.reduce((s, p) => s + k(p), 0) / f.length;
      return {
        yaw: mean((p) => p.headYaw),
        roll: mean((p) => p.headRoll),
        pitch: mean((p) => p.headPitch),
        brows: mean((p) => p.pose?.brows ?? p.brows),
        gazeY: mean((p) => p.gazeY ?? 0),
        gazeX: mean((p) => Math.abs(p.gazeX ?? 0)),
        state: a.idleState,
      };
    };
    const idle = settle('idle');
    const listening = settle('listening');
    const thinking = settle('thinking');
    expect(listening.state).toBe('listening');
    // Listening: tilted towards the speaker, brows up, eyes on the viewer.
    expect(listening.roll - idle.roll).toBeGreaterThan(0.015);
    expect(listening.brows - idle.brows).toBeGreaterThan(0.15);
    expect(listening.gazeX).toBeLessThan(0.1);
    // Thinking: head turned and tilted the other way, brows drawn in, eyes up and away.
    expect(thinking.roll - idle.roll).toBeLessThan(-0.015);
    expect(thinking.yaw - idle.yaw).toBeGreaterThan(0.015);
    expect(thinking.brows).toBeLessThan(idle.brows - 0.1);
    expect(thinking.gazeY).toBeLessThan(-0.3);
    expect(thinking.gazeX).toBeGreaterThan(0.4);
  });
});

/** Syllables at ~4 Hz, a stressed one every ~1.5 s, a 360 ms pause every 3 s. */
function speechTrack(i: number): MouthParams {
  if (i % 75 >= 66) return { ...open, jawOpen: 0, upperLip: 0 };
  const stress = i % 38 < 4 ? 0.45 : 0;
  return { ...open, jawOpen: Math.min(1, Math.abs(Math.sin(i * 0.5)) * 0.45 + stress) };
}

describe('idleStateForAgentState', () => {
  it("maps LiveKit's lk.agent.state onto the animator's idle states", () => {
    expect(idleStateForAgentState('listening')).toBe('listening');
    expect(idleStateForAgentState('thinking')).toBe('thinking');
    expect(idleStateForAgentState('initializing')).toBe('idle');
    expect(idleStateForAgentState('idle', 'thinking')).toBe('idle');
    expect(idleStateForAgentState('speaking', 'listening')).toBe('listening');
    expect(idleStateForAgentState(undefined)).toBe('idle');
    expect(idleStateForAgentState('dancing')).toBe('idle');
  });
});

describe('warmupPoses', () => {
  it('lists the lattice and blend poses that speech, listening and thinking then use', () => {
    const poses = warmupPoses();
    expect(poses.length).toBeGreaterThan(20);
    // ~80 lattice poses and ~230 blend poses (the renderer keeps 512 heads with the idle loop's 160).
    expect(poses.length).toBeLessThanOrEqual(340);
    const keys = new Set(poses.map((p) => `${p.pose!.frame}:${p.headPitch}:${p.headRoll}:${p.breath}`));
    // Another session (its own seed) speaking and listening lands almost only on listed poses.
    const a = createAnimator({ seed: 99 });
    let posed = 0;
    let listed = 0;
    for (let i = 0; i < 1500; i++) {
      a.setIdleState(i < 750 ? 'idle' : 'listening');
      const p = a.step(i * 40, i < 750 ? speechTrack(i) : null);
      if (!p.pose || p.idleFrame !== undefined) continue;
      posed++;
      if (keys.has(`${p.pose.frame}:${p.headPitch}:${p.headRoll}:${p.breath}`)) listed++;
    }
    expect(listed / posed).toBeGreaterThan(0.97);
  });
});
