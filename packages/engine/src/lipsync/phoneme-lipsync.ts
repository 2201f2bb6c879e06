// Text path: timed phonemes (from TTS) → mouth keyframes at the video frame rate, with coarticulation.

import type { TimedPhoneme } from '@agenthuman/media';
import type { MouthKeyframe } from '../animation/params.js';
import {
  closurePhonemes,
  diphthongs,
  lipTuckPhonemes,
  type MouthTarget,
  type Viseme,
  visemeFor,
} from './visemes.js';

export const FRAME_MS = 40;

/** Segments further than this from t no longer pull on the shape (weight below 1e-4 at the widest spread). */
const REACH_MS = 260;

interface Segment {
  startMs: number;
  endMs: number;
  viseme: Viseme;
}

function segmentsOf(phonemes: readonly TimedPhoneme[]): Segment[] {
  const segments: Segment[] = [];
  for (const p of phonemes) {
    const glide = diphthongs[p.phoneme];
    if (glide) {
      const mid = (p.startMs + p.endMs) / 2;
      segments.push({ startMs: p.startMs, endMs: mid, viseme: glide[0] });
      segments.push({ startMs: mid, endMs: p.endMs, viseme: glide[1] });
    } else {
      segments.push({ startMs: p.startMs, endMs: p.endMs, viseme: visemeFor(p.phoneme) });
    }
  }
  return segments;
}

/** Blended mouth shape at time t: every segment pulls toward its target with dominance × proximity. */
function shapeAt(segments: Segment[], t: number, out: number[]): void {
  out.fill(0);
  let total = 0;
  for (const s of segments) {
    if (s.endMs < t - REACH_MS || s.startMs > t + REACH_MS) continue;
    const distance = t < s.startMs ? s.startMs - t : t > s.endMs ? t - s.endMs : 0;
    // The spread sets the ease in and out of each movement.
    const w = s.viseme.dominance * Math.exp(-distance / s.viseme.spreadMs);
    total += w;
    const target: MouthTarget = s.viseme.target;
    for (let i = 0; i < 5; i++) out[i]! += w * target[i]!;
  }
  if (total > 0) for (let i = 0; i < 5; i++) out[i]! /= total;
}

/**
 * Mouth keyframes every `frameMs` from 0 to the end of the last phoneme (inclusive of a final frame), for
 * presentation at `startPtsMs + k·frameMs`.
 */
export function keyframesFromPhonemes(
  phonemes: readonly TimedPhoneme[],
  options: { frameMs?: number; startPtsMs?: number } = {},
): MouthKeyframe[] {
  const frameMs = options.frameMs ?? FRAME_MS;
  const startPts = options.startPtsMs ?? 0;
  const segments = segmentsOf(phonemes);
  const duration = phonemes.length ? phonemes[phonemes.length - 1]!.endMs : 0;
  const count = Math.ceil(duration / frameMs) + 1;
  const shape = [0, 0, 0, 0, 0];
  const frames: MouthKeyframe[] = [];
  for (let k = 0; k < count; k++) {
    shapeAt(segments, k * frameMs, shape);
    frames.push({
      ptsMs: startPts + k * frameMs,
      jawOpen: shape[0]!,
      mouthWidth: shape[1]!,
      mouthRound: shape[2]!,
      upperLip: shape[3]!,
      lowerLip: shape[4]!,
    });
  }
  // A closure or tuck shorter than a frame could fall between two samples; the frame nearest its middle
  // always shows it, so "p" never passes without the lips meeting. A closure's lips stay shut on every frame
  // inside it too: the blend left its first and last frames at 0.02–0.05, so the animator pressed the lips for one
  // frame and let go on the next while the phoneme went on.
  for (const p of phonemes) {
    const middle = Math.round((p.startMs + p.endMs) / 2 / frameMs);
    const frame = frames[middle];
    if (!frame) continue;
    if (closurePhonemes.has(p.phoneme)) {
      const last = Math.min(frames.length - 1, Math.max(middle, Math.floor(p.endMs / frameMs)));
      for (let k = Math.min(middle, Math.ceil(p.startMs / frameMs)); k <= last; k++) {
        frames[k]!.jawOpen = 0;
        frames[k]!.upperLip = 0;
        frames[k]!.lowerLip = 0;
      }
    } else if (lipTuckPhonemes.has(p.phoneme)) {
      frame.jawOpen = Math.min(frame.jawOpen, 0.1);
      frame.lowerLip = Math.max(frame.lowerLip, 0.9);
    }
  }
  return frames;
}
