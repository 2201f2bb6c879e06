// The clips the gates are chosen on: the training voices speaking unseen sentences, and the stillness fixtures
// around the first three of each voice. One lead per voice under-samples music's rare spikes: the same gates read
// a music maximum of 0.016 on one lead per voice and 0.09 on three.
import type { Utterance } from './corpus.js';
import { trainSources, type VoiceSource } from './voices.js';

/** Fixtures are built around this many of each voice's utterances. */
const LEADS_PER_VOICE = 3;

/**
 * The gates' validation clips (40 ms truth) and the lead utterances for the stillness fixtures. `synthesize`
 * gives a voice's unseen sentences.
 */
export async function gateValidation(
  synthesize: (source: VoiceSource) => Promise<Utterance[]>,
): Promise<{ clips: Utterance[]; leads: Int16Array[] }> {
  const clips: Utterance[] = [];
  const leads: Int16Array[] = [];
  for (const source of trainSources) {
    const voice = await synthesize(source);
    clips.push(...voice);
    leads.push(...voice.slice(0, LEADS_PER_VOICE).map((u) => u.pcm));
  }
  return { clips, leads };
}
