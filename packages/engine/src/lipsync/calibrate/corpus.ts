// Synthesises calibration utterances (Flite in-process, Festival through its CLI, Piper and Kokoro through a Python
// helper in a venv) with their phoneme timings and
// derives the phoneme-path ground truth for each, optionally at another speaking rate and pitch.
import { fileURLToPath } from 'node:url';
import { readWav, resample, type TimedPhoneme } from '@agenthuman/media';
import type { MouthKeyframe } from '../../animation/params.js';
import { loadFliteModule } from '../../tts/flite.js';
import { parsePsdur } from '../../tts/psdur.js';
import { runWasiCommand } from '../../tts/wasi-memory.js';
import { keyframesFromPhonemes } from '../phoneme-lipsync.js';
import { type FestivalRequest, festivalHasVoice, synthesizeWithFestival } from './festival.js';
import { neuralPython, synthesizeWithNeural } from './neural/neural-tts.js';
import type { VoiceSource } from './voices.js';

export interface Prosody {
  /** Duration stretch: 1 = the voice's own rate, 1.3 = 30 % slower. */
  stretch: number;
  /** Target mean pitch (Hz), or null for the voice's own (the neural voices have no pitch control: ignored). */
  f0Hz: number | null;
  /** Piper's duration noise (its default 0.8): prosodic variety where pitch cannot be set. */
  noiseW?: number;
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

/** Why this machine cannot synthesise with `source`, or null if it can (the corpus and bench skip such voices). */
export function missingTool(source: VoiceSource): string | null {
  if (source.synth === 'flite') return null;
  if (source.synth === 'festival') {
    return festivalHasVoice(source.voice) ? null : "festival or the voice's package not installed";
  }
  const python = neuralPython(cacheDir);
  return 'missing' in python ? python.missing : null;
}

/** Whether this machine can synthesise with `source` (Festival voices need the Debian packages, neural ones pip). */
export function canSynthesize(source: VoiceSource): boolean {
  return missingTool(source) === null;
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
  } else if (source.synth === 'piper' || source.synth === 'kokoro') {
    const engine = source.synth;
    const requests = sentences.map((text, i) => ({
      engine,
      voice: source.voice,
      text,
      stretch: settings[i]!.stretch,
      noiseW: settings[i]!.noiseW ?? 0.8,
    }));
    audio = synthesizeWithNeural(requests, await loadFliteModule(), cacheDir);
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
