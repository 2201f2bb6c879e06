// Synthesises calibration utterances with Flite and derives the phoneme-path ground truth for each.

import type { TimedPhoneme } from '@agenthuman/media';
import type { MouthKeyframe } from '../../animation/params.js';
import { type FliteVoice, loadFliteModule, synthesizeWithFlite } from '../../tts/flite.js';
import { keyframesFromPhonemes } from '../phoneme-lipsync.js';

export interface Utterance {
  text: string;
  voice: FliteVoice;
  pcm: Int16Array;
  phonemes: TimedPhoneme[];
  /** Ground truth from the phoneme path, one keyframe per `frameMs`. */
  truth: MouthKeyframe[];
}

export async function synthesizeCorpus(
  sentences: readonly string[],
  voices: readonly FliteVoice[],
  frameMs: number,
): Promise<Utterance[]> {
  const module = await loadFliteModule();
  const out: Utterance[] = [];
  for (const voice of voices) {
    for (const text of sentences) {
      const { pcm, phonemes } = synthesizeWithFlite(module, text, voice);
      out.push({ text, voice, pcm, phonemes, truth: keyframesFromPhonemes(phonemes, { frameMs }) });
    }
  }
  return out;
}

/**
 * The same speech at another level with a faint noise floor, so the model learns from relative levels and
 * never relies on digital silence (live audio never has it). Deterministic for a given seed.
 */
export function augment(pcm: Int16Array, gainDb: number, noiseDbfs: number, seed: number): Int16Array {
  const gain = 10 ** (gainDb / 20);
  const noise = 32768 * 10 ** (noiseDbfs / 20) * Math.sqrt(3);
  const out = new Int16Array(pcm.length);
  let s = seed >>> 0;
  for (let i = 0; i < pcm.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = pcm[i]! * gain + noise * (s / 2147483648 - 1);
    out[i] = Math.min(32767, Math.max(-32768, Math.round(v)));
  }
  return out;
}
