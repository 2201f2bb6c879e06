// Why the audio path's m/b/p frames do or do not read as meeting lips on rendered pixels. For every scored m/b/p
// frame of bench/lipsync-pixels.ts's audio path (photo and illustrated) it lists the network's closure output
// (hop-averaged, before any gate), the speech gate, the press and jaw handed to the animator, what the animator
// asked of the renderer (jaw, lipPress) and the gap the landmark model reads; then sorts the misses into: not
// detected (the closure output never reaches the press gate around the frame), timing (the press is on the frame
// before or after, not on it), weak (pressed partly, or the jaw still open past the press), and shut but read
// open (pressed fully, nothing open, the landmark model still reads a gap).
// `npx tsx bench/lipsync-pixel-closures.ts [--wide]` prints one JSON object on its last line (`--wide`: the pixel
// bench's wider sample).
import { fileURLToPath } from 'node:url';
import type { MouthKeyframe } from '@agenthuman/engine';
import { storeHops } from '../packages/engine/src/lipsync/calibrate/gate-search.js';
import { fittedLipSyncModel } from '../packages/engine/src/lipsync/fitted-model.js';
import { NETWORK_OUTPUTS } from '../packages/engine/src/lipsync/lipsync-network.js';
import {
  FRAME_MS,
  fliteSentences,
  LANDMARK_CONFIGS,
  LIPS_MEET,
  PIXEL_SENTENCES,
  pixelRigs,
  renderAndMeasure,
  type Sentence,
  SILENCE_FRAMES,
  WIDE_SENTENCES,
  WIDE_VOICES,
} from './lipsync-pixels.js';

/**
 * The network's closure and speech outputs per 40 ms frame, averaged over the hops the gates read: the frame's hop
 * and the one before, or with a smoothed model the frame's hop and the one 20 ms later (gate-search.ts replayFrames).
 */
function rawOutputs(pcm: Int16Array): { closure: number[]; speech: number[] } {
  const stored = storeHops(pcm, fittedLipSyncModel);
  const [first, second] = fittedLipSyncModel.smooth ? [0, 2] : [-1, 0];
  const at = (hop: number, output: number) => stored.out[(hop + 1) * NETWORK_OUTPUTS + output]!;
  const closure: number[] = [];
  const speech: number[] = [];
  for (let j = 0; j < stored.hops; j += FRAME_MS / 10) {
    closure.push((at(j + first, 6) + at(j + second, 6)) / 2);
    speech.push((at(j + first, 5) + at(j + second, 5)) / 2);
  }
  return { closure, speech };
}

export type MissClass = 'met' | 'not_detected' | 'early' | 'late' | 'weak' | 'shut_read_open';

export interface ClosureFrame {
  phoneme: string;
  /** Network closure output (raw) at the frame before, on it and after. */
  raw: [number, number, number];
  speech: number;
  /** Press (MouthKeyframe.closure) and jaw target handed to the animator, before / on / after. */
  press: [number, number, number];
  jaw_target: number;
  /** What the animator asked of the renderer on the frame. */
  jaw: number;
  lip_press: number;
  gap: number;
  class: MissClass;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function classify(f: Omit<ClosureFrame, 'class'>): MissClass {
  if (f.gap < LIPS_MEET) return 'met';
  if (Math.max(...f.press) < 0.5) return 'not_detected';
  if (f.press[1] < 0.5) return f.press[0] >= 0.5 ? 'early' : 'late';
  if (f.lip_press >= 0.95 && f.jaw * (1 - f.lip_press) < 0.02) return 'shut_read_open';
  return 'weak';
}

export async function diagnoseClosures(wide = false) {
  const sentences: Sentence[] = [];
  for (const voice of wide ? WIDE_VOICES : (['slt'] as const))
    sentences.push(...(await fliteSentences(wide ? WIDE_SENTENCES : PIXEL_SENTENCES, voice)));
  const rigs = await pixelRigs();
  // The configuration bench/lipsync-pixels.ts chooses on the real closed mouths (smallest median reading).
  const config = LANDMARK_CONFIGS.no_rotation!;
  const raws = sentences.map((s) => rawOutputs(s.pcm));
  const out: Record<string, { frames: ClosureFrame[]; classes: Record<string, number> }> = {};
  for (const [style, rig] of Object.entries(rigs)) {
    const track = await renderAndMeasure(rig, sentences, 'audio', config);
    const frames: ClosureFrame[] = [];
    let start = 0;
    for (const [i, s] of sentences.entries()) {
      start += SILENCE_FRAMES;
      for (const p of s.phonemes) {
        if (p.phoneme !== 'm' && p.phoneme !== 'b' && p.phoneme !== 'p') continue;
        const k = Math.round((p.startMs + p.endMs) / 2 / FRAME_MS);
        const g = start + k;
        const key = (d: number): MouthKeyframe | null => track.keys[g + d] ?? null;
        const at3 = (xs: number[]) =>
          [xs[k - 1] ?? 0, xs[k] ?? 0, xs[k + 1] ?? 0].map(r3) as [number, number, number];
        const f = {
          phoneme: p.phoneme,
          raw: at3(raws[i]!.closure),
          speech: r3(raws[i]!.speech[k] ?? 0),
          press: [-1, 0, 1].map((d) => r3(key(d)?.closure ?? 0)) as [number, number, number],
          jaw_target: r3(key(0)?.jawOpen ?? 0),
          jaw: r3(track.params[g]!.jawOpen),
          lip_press: r3(track.params[g]!.lipPress ?? 0),
          gap: r3(track.gap[g]!),
        };
        frames.push({ ...f, class: classify(f) });
      }
      start += s.truth.length;
    }
    const classes: Record<string, number> = {};
    for (const f of frames) classes[f.class] = (classes[f.class] ?? 0) + 1;
    out[style] = { frames, classes };
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await diagnoseClosures(process.argv.includes('--wide'));
  for (const [style, { frames }] of Object.entries(result)) {
    for (const f of frames) console.error(style, JSON.stringify(f));
  }
  console.log(JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.classes]))));
}
