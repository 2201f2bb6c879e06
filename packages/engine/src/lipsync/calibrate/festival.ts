// Festival (Debian's `festival` with festvox voices) as a second synthesiser for the calibration corpus: one
// `festival --script` run per batch writes the waves and prints each utterance's Segment relation (phone and end
// time), mapped to the ARPAbet names the phoneme path knows. Results are cached on disk by content hash, so a
// rerun of the fit synthesises nothing. Not used at run time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, resample, type TimedPhoneme } from '@agenthuman/media';
import { arpabetFor, type Lang } from './festival-phones.js';

export interface FestivalRequest {
  voice: string;
  text: string;
  /** Duration_Stretch (1 = the voice's own rate, 1.3 = slower). */
  stretch: number;
  /** Target mean pitch in Hz, or null for the voice's own. */
  f0Hz: number | null;
}

export interface Synthesised {
  pcm: Int16Array;
  phonemes: TimedPhoneme[];
}

let available: boolean | undefined;

/** Whether `festival` is installed (the corpus and bench skip its voices where it is not). */
export function festivalAvailable(): boolean {
  available ??= spawnSync('festival', ['--version'], { encoding: 'utf8' }).status === 0;
  return available;
}

const VOICES_DIR = '/usr/share/festival/voices';
const INDIC: ReadonlySet<Lang> = new Set(['hi', 'mr', 'te']);

/** Whether festival and this voice's Debian package are installed (voices live in `<VOICES_DIR>/<lang>/<voice>`). */
export function festivalHasVoice(voice: string): boolean {
  if (!festivalAvailable() || !existsSync(VOICES_DIR)) return false;
  return readdirSync(VOICES_DIR).some((lang) => existsSync(join(VOICES_DIR, lang, voice)));
}

const quote = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** Synthesises every request (cached under `cacheDir`); throws if festival or a voice is missing. */
export function synthesizeWithFestival(
  requests: readonly FestivalRequest[],
  lang: Lang,
  cacheDir: string,
): Synthesised[] {
  const dir = join(cacheDir, 'festival');
  mkdirSync(dir, { recursive: true });
  const keys = requests.map((r) =>
    createHash('sha256')
      .update(JSON.stringify([r.voice, r.text, r.stretch, r.f0Hz]))
      .digest('hex')
      .slice(0, 24),
  );
  const missing = requests.map((_, i) => i).filter((i) => !existsSync(join(dir, `${keys[i]}.json`)));
  if (missing.length > 0) {
    const lines = ['(load "/usr/share/festival/init.scm")'];
    let voice = '';
    for (const i of missing) {
      const r = requests[i]!;
      if (r.voice !== voice) lines.push(`(voice_${r.voice})`);
      voice = r.voice;
      lines.push(`(Parameter.set 'Duration_Stretch ${r.stretch})`);
      if (r.f0Hz !== null) {
        lines.push(
          `(set! int_lr_params '((target_f0_mean ${r.f0Hz}) (target_f0_std ${(r.f0Hz * 0.15).toFixed(1)}) (model_f0_mean 170) (model_f0_std 34)))`,
        );
      }
      lines.push(
        `(set! utt (utt.synth (Utterance Text ${quote(r.text)})))`,
        `(utt.save.wave utt ${quote(join(dir, `${keys[i]}.wav`))} 'riff)`,
        `(format t "@@ ${keys[i]}")`,
        `(mapcar (lambda (s) (format t " %s:%f" (item.name s) (item.feat s "end"))) (utt.relation.items utt 'Segment))`,
        '(format t "\\n")',
      );
    }
    const script = join(dir, `batch-${process.pid}.scm`);
    // Festival reads its scripts as bytes: the Russian voice expects UTF-8, the others ISO-8859-1 (accented
    // Italian, Catalan and Finnish vowels are in it; the Czech corpus is plain ASCII); the Indic voices UTF-8.
    writeFileSync(
      script,
      Buffer.from(`${lines.join('\n')}\n`, lang === 'ru' || INDIC.has(lang) ? 'utf8' : 'latin1'),
    );
    const run = spawnSync('festival', ['--script', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`festival failed: ${run.stderr.slice(0, 300)}`);
    for (const line of run.stdout.split('\n')) {
      const [tag, key, ...segments] = line.trim().split(/\s+/);
      if (tag !== '@@' || !key) continue;
      writeFileSync(join(dir, `${key}.json`), JSON.stringify(segments));
    }
    const failed = missing.find((i) => !existsSync(join(dir, `${keys[i]}.json`)));
    if (failed !== undefined) {
      throw new Error(`festival did not synthesise "${requests[failed]!.text}": ${run.stdout.slice(-300)}`);
    }
  }
  return requests.map((_, i) => {
    const segments = JSON.parse(readFileSync(join(dir, `${keys[i]}.json`), 'utf8')) as string[];
    const wav = readWav(readFileSync(join(dir, `${keys[i]}.wav`)));
    const pcm = wav.sampleRate === 16000 ? wav.samples : resample(wav.samples, wav.sampleRate, 16000);
    const durationMs = (pcm.length / 16000) * 1000;
    const phonemes: TimedPhoneme[] = [];
    let start = 0;
    for (const s of segments) {
      const at = s.lastIndexOf(':');
      const end = Math.min(Number(s.slice(at + 1)) * 1000, durationMs);
      if (!(end > start)) continue;
      phonemes.push({ phoneme: arpabetFor(s.slice(0, at), lang), startMs: start, endMs: end });
      start = end;
    }
    const last = phonemes[phonemes.length - 1];
    if (last) last.endMs = durationMs;
    return { pcm, phonemes };
  });
}
