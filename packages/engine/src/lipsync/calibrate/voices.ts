// The voices the audio-only lip-sync is fitted on and the whole voices it is judged on but never fitted on.
// espeak-ng and its mbrola voices are deliberately absent: they are kept for acceptance testing, so nothing
// here (fitting, gates, choices) has seen them.

import type { Lang } from './festival-phones.js';

export type Synth = 'flite' | 'festival' | 'piper' | 'kokoro';

export interface VoiceSource {
  synth: Synth;
  voice: string;
  lang: Lang;
  /** Range of target mean pitch (Hz) used for pitch augmentation. */
  f0Hz: readonly [number, number];
}

const male = [85, 150] as const;
const female = [160, 260] as const;
const child = [200, 320] as const;

export const trainSources: readonly VoiceSource[] = [
  { synth: 'flite', voice: 'slt', lang: 'en', f0Hz: female },
  { synth: 'flite', voice: 'awb', lang: 'en', f0Hz: male },
  { synth: 'flite', voice: 'kal', lang: 'en', f0Hz: male },
  { synth: 'flite', voice: 'kal16', lang: 'en', f0Hz: male },
  { synth: 'festival', voice: 'kal_diphone', lang: 'en', f0Hz: male },
  { synth: 'festival', voice: 'lp_diphone', lang: 'it', f0Hz: female },
  // Other languages and engines bring more speakers (a child among them), more vocal tracts and more vocoders:
  // what the model must not learn is one speaker's or one synthesiser's colour.
  { synth: 'festival', voice: 'czech_dita', lang: 'cs', f0Hz: female },
  { synth: 'festival', voice: 'czech_krb', lang: 'cs', f0Hz: child },
  { synth: 'festival', voice: 'czech_machac', lang: 'cs', f0Hz: male },
  { synth: 'festival', voice: 'suo_fi_lj_diphone', lang: 'fi', f0Hz: female },
  { synth: 'festival', voice: 'msu_ru_nsh_clunits', lang: 'ru', f0Hz: male },
  { synth: 'festival', voice: 'upc_ca_ona_hts', lang: 'ca', f0Hz: female },
];

/**
 * More training speakers, `fit.ts --indic` (Hindi, Marathi and Telugu diphone voices of one male speaker): other
 * languages' phone timings and a vocal tract no other voice has. Not in validation, so its figures stay comparable.
 */
export const indicSources: readonly VoiceSource[] = [
  { synth: 'festival', voice: 'hindi_NSK_diphone', lang: 'hi', f0Hz: male },
  { synth: 'festival', voice: 'marathi_NSK_diphone', lang: 'mr', f0Hz: male },
  { synth: 'festival', voice: 'telugu_NSK_diphone', lang: 'te', f0Hz: male },
];

/**
 * Modern neural voices, `fit.ts --neural`: Kokoro-82M (StyleTTS2; Apache-2.0) Japanese voices speaking our English
 * through Flite's ARPAbet mapped to its IPA (accented), with the model's own phone durations as truth
 * (neural/neural-tts.ts). Not in validation, so its figures stay comparable. jf_nezumi is held out.
 */
export const neuralSources: readonly VoiceSource[] = [
  { synth: 'kokoro', voice: 'jf_alpha', lang: 'en', f0Hz: female },
  { synth: 'kokoro', voice: 'jf_gongitsune', lang: 'en', f0Hz: female },
  { synth: 'kokoro', voice: 'jf_tebukuro', lang: 'en', f0Hz: female },
  { synth: 'kokoro', voice: 'jm_kumo', lang: 'en', f0Hz: male },
];

/**
 * Never fitted on: one or more per synthesiser. Flite rms (an unseen speaker), Festival ked (unseen speaker,
 * diphone), Festival pc (unseen Italian speaker), Festival's HTS slt (its speaker is in training through Flite
 * slt, its engine through the Catalan HTS voice), unseen Czech and Finnish speakers (ph, mv), and the modern
 * neural synthesisers: Piper's joe (VITS, a US male no model here heard; its dataset CC0) and Kokoro's jf_nezumi.
 */
export const heldOutSources: readonly VoiceSource[] = [
  { synth: 'flite', voice: 'rms', lang: 'en', f0Hz: male },
  { synth: 'festival', voice: 'ked_diphone', lang: 'en', f0Hz: male },
  { synth: 'festival', voice: 'cmu_us_slt_arctic_hts', lang: 'en', f0Hz: female },
  { synth: 'festival', voice: 'pc_diphone', lang: 'it', f0Hz: male },
  { synth: 'festival', voice: 'czech_ph', lang: 'cs', f0Hz: male },
  { synth: 'festival', voice: 'hy_fi_mv_diphone', lang: 'fi', f0Hz: male },
  { synth: 'piper', voice: 'joe', lang: 'en', f0Hz: male },
  { synth: 'kokoro', voice: 'jf_nezumi', lang: 'en', f0Hz: female },
];

export const sourceName = (s: VoiceSource): string => `${s.synth}:${s.voice}`;
