import { entryPose, latticeId } from './head-motion.js';
import type { IdleLoop } from './idle-loop.js';
import type { IdleState } from './params.js';

// The head's way from one mode's pose to the next. A blend drawn off the cached poses costs a whole-head warp per
// frame (4–8 ms against ~2 for a cached speech frame), and every reply pays it twice. So blends run only between
// fixed ends: a lattice mode's entry pose (head-motion.ts `entryPose`) and the idle loop at one of its gates
// (every GATE_FRAMES frames); the head waits on cached poses (still idling, or settling in its mode) until it
// reaches one. So there are few blends (7 poses each, ~230 in all) and every blended frame carries a pose id: a
// renderer draws each once per avatar and thread. The poses stay off the lattice: rounded to its 1 px steps, a
// blend moved in holds and 1 px jumps and landed up to a pixel off the idle loop.

export type HeadMode = IdleState | 'speech';

export interface Head {
  headYaw: number;
  headPitch: number;
  headRoll: number;
  breath: number;
  brows: number;
}

/** Frames a blend between modes takes, counting its last (the target itself). */
export const BLEND_FRAMES = 8;
/** The idle loop may be left or joined only at frames that are a multiple of this (16: 0.64 s at 25 fps). */
export const GATE_FRAMES = 16;
/** The pose id's state digit for blend poses (head-motion's modes use 0–3). */
const BLEND_ID = 4;

const modes: readonly HeadMode[] = ['idle', 'listening', 'thinking', 'speech'];

export function entryHead(mode: Exclude<HeadMode, 'idle'>): Head {
  const p = entryPose(mode);
  return { headYaw: p.yaw, headPitch: p.pitch, headRoll: p.roll, breath: p.breath, brows: p.brows };
}

export function idleHead(loop: IdleLoop, phase: number): Head {
  const p = loop.at(phase);
  return {
    headYaw: p.headYaw,
    headPitch: p.headPitch,
    headRoll: p.headRoll,
    breath: p.breath,
    brows: p.brows,
  };
}

const keyOf = (h: Head) => `${h.headYaw},${h.headPitch},${h.headRoll},${h.breath},${h.brows}`;

/**
 * The head `j` frames (1 ≤ j < BLEND_FRAMES) into the blend `from` → `to`, with its pose. A blend and its reverse
 * pass the same poses, to the bit (computed in one direction), so a reply's start and end share them.
 */
export function blendHead(
  from: Head,
  to: Head,
  j: number,
): { head: Head; pose: { frame: number; brows: number } } {
  const flip = keyOf(from) > keyOf(to);
  const [a, b] = flip ? [to, from] : [from, to];
  const u = (flip ? BLEND_FRAMES - j : j) / BLEND_FRAMES;
  const k = u * u * (3 - 2 * u);
  const mix = (x: number, y: number) => x + (y - x) * k;
  const head: Head = {
    headYaw: mix(a.headYaw, b.headYaw),
    headPitch: mix(a.headPitch, b.headPitch),
    headRoll: mix(a.headRoll, b.headRoll),
    breath: mix(a.breath, b.breath),
    brows: mix(a.brows, b.brows),
  };
  // The nearest lattice point's id with the blend digit: the renderer keys its cache by the values too.
  const id = latticeId(
    { yaw: head.headYaw, pitch: head.headPitch, roll: head.headRoll, breath: head.breath, brows: head.brows },
    BLEND_ID,
  );
  return { head, pose: { frame: id, brows: head.brows } };
}

/** The ends a blend between two modes may have: the idle loop's gates, or a lattice mode's entry pose. */
function ends(loop: IdleLoop, mode: HeadMode): Head[] {
  if (mode !== 'idle') return [entryHead(mode)];
  const out: Head[] = [];
  for (let g = 0; g < loop.frames; g += GATE_FRAMES) out.push(idleHead(loop, g));
  return out;
}

/** Every blend pose of `loop` (with its mode ends), each once: what a render worker can draw at start. */
export function blendHeads(loop: IdleLoop): { head: Head; pose: { frame: number; brows: number } }[] {
  const seen = new Map<string, { head: Head; pose: { frame: number; brows: number } }>();
  for (let m = 0; m < modes.length; m++)
    for (let n = m + 1; n < modes.length; n++)
      for (const a of ends(loop, modes[m]!))
        for (const b of ends(loop, modes[n]!))
          for (let j = 1; j < BLEND_FRAMES; j++) {
            const blended = blendHead(a, b, j);
            seen.set(`${blended.pose.frame}:${blended.head.brows}`, blended);
          }
  return [...seen.values()];
}
