// Voices open a sentence with a pause (Flite: ~220 ms of `pau`). Between sentences it is the natural gap, but
// before a reply's first sentence it is only delay after the user stopped speaking, so that one is cut to a
// short lead-in. Phoneme timings move with the audio and stay contiguous. The lead-in is 10 ms: everything
// before the first sample above SILENCE_LEVEL is below hearing in any room, and each 10 ms of it was 10 ms
// more before the user hears the answer (it was 40 ms).
import type { TtsResult } from '@agenthuman/media';

/** Quieter than this (≈ −50 dBFS) is the pause, not the first sound. */
const SILENCE_LEVEL = 100;

export function trimLeadingSilence<T extends TtsResult>(audio: T, leadInMs = 10): T {
  const { pcm } = audio;
  let first = 0;
  while (first < pcm.length && Math.abs(pcm[first]!) < SILENCE_LEVEL) first++;
  if (first === pcm.length) return audio; // all silence: nothing to open with
  const cut = Math.max(0, first - Math.round((leadInMs / 1000) * audio.sampleRate));
  if (cut === 0) return audio;
  const cutMs = (cut / audio.sampleRate) * 1000;
  const phonemes = audio.phonemes
    .filter((p) => p.endMs > cutMs)
    .map((p) => ({ ...p, startMs: Math.max(0, p.startMs - cutMs), endMs: p.endMs - cutMs }));
  return { ...audio, pcm: pcm.subarray(cut), phonemes };
}
