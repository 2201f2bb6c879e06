// Synthesises calibration utterances (Flite in-process, Festival through its CLI) with their phoneme timings and
// derives the phoneme-path ground truth for each, optionally at another speaking rate and pitch.
import { fileURLToPath } from 'node:url';
import { readWav, resample, type TimedPhoneme } from '@agenthuman/media';
import type { MouthKeyframe } from '../../animation/params.js';
import { loadFliteModule } from '../../tts/flite.js';
import { parsePsdur } from '../../tts/psdur.js';
import { runWasiCommand } from '../../tts/wasi-memory.js';
import { keyframesFromPhonemes } from '../phoneme-lipsync.js';
import { type FestivalRequest, festivalHasVoice, synthesizeWithFestival } from './festival.js';
import type { VoiceSource } from './voices.js';

export interface Prosody {
  /** Duration stretch: 1 = the voice's own rate, 1.3 = 30 % slower. */
  stretch: number;
  /** Target mean pitch (Hz), or null for the voice's own. */
  f0Hz: number | null;
}

export interface Utterance {
  text: string;
  source: VoiceSource;
  pcm: Int16Array;
  phonemes: TimedPhoneme[];
  /** Ground truth from the phoneme path, one keyframe per `frameMs`. */
  truth: MouthKeyframe[];
}

/** Generated audio lives here, out of git (override with LIPSYNC_CACHE_DIR). */
export const cacheDir =
  process.env.LIPSYNC_CACHE_DIR ??
  fileURLToPath(new URL('../../../../../node_modules/.cache/agenthuman-lipsync', import.meta.url));

const natural: Prosody = { stretch: 1, f0Hz: null };

/** Whether this machine can synthesise with `source` (Festival voices need the Debian packages). */
export function canSynthesize(source: VoiceSource): boolean {
  return source.synth === 'flite' || festivalHasVoice(source.voice);
}

export async function synthesizeCorpus(
  sentences: readonly string[],
  source: VoiceSource,
  frameMs: number,
  prosody: (index: number) => Prosody = () => natural,
): Promise<Utterance[]> {
  const settings = sentences.map((_, i) => prosody(i));
  let audio: { pcm: Int16Array; phonemes: TimedPhoneme[] }[];
  if (source.synth === 'flite') {
    const module = await loadFliteModule();
    audio = sentences.map((text, i) => {
      const { stretch, f0Hz } = settings[i]!;
      const args = ['flite', '-voice', source.voice, '--setf', `duration_stretch=${stretch}`];
      if (f0Hz !== null) args.push('--setf', `int_f0_target_mean=${f0Hz}`);
      const run = runWasiCommand(module, [...args, '-psdur', '-t', text, '-o', '/speech.wav']);
      const wav = run.files.get('speech.wav');
      if (run.exitCode !== 0 || !wav) throw new Error(`flite failed on "${text}"`);
      const parsed = readWav(wav);
      const pcm =
        parsed.sampleRate === 16000 ? parsed.samples : resample(parsed.samples, parsed.sampleRate, 16000);
      return { pcm, phonemes: parsePsdur(run.stdout, (pcm.length / 16000) * 1000) };
    });
  } else {
    const requests: FestivalRequest[] = sentences.map((text, i) => ({
      voice: source.voice,
      text,
      ...settings[i]!,
    }));
    audio = synthesizeWithFestival(requests, source.lang, cacheDir);
  }
  return audio.map(({ pcm, phonemes }, i) => ({
    text: sentences[i]!,
    source,
    pcm,
    phonemes,
    truth: keyframesFromPhonemes(phonemes, { frameMs }),
  }));
}
