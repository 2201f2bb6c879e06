// `agenthuman lipsync --audio in.wav [--json]` (or `--text "..." [--voice slt] [--wav out.wav]`): per-frame
// mouth parameters at 25 fps, like Rhubarb Lip Sync. Exit codes: 0 done, 1 bad input file, 2 bad usage.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AudioLipSync,
  FliteTTS,
  type FliteVoice,
  fliteVoices,
  keyframesFromPhonemes,
  type MouthKeyframe,
} from '@agenthuman/engine';
import { downmixToMono, readWav, StreamingResampler, TtsError, WavError, writeWav } from '@agenthuman/media';

export const summary = 'print per-frame mouth parameters for a WAV file or a text (like Rhubarb Lip Sync)';

const usage = `Usage: agenthuman lipsync (--audio in.wav | --text "...") [--json] [--voice slt] [--wav out.wav]

  --audio FILE   16-bit PCM WAV, mono or stereo, any rate from 8000 to 48000 Hz (audio-only lip-sync)
  --text TEXT    synthesise TEXT with Flite and use its exact phoneme timings instead
  --voice NAME   Flite voice for --text: ${fliteVoices.join(', ')} (default slt)
  --wav FILE     with --text, also write the synthesised speech (16 kHz WAV)
  --json         one JSON object {fps, frames: [{time, jaw_open, ...}]} instead of a table`;

export async function run(args: string[]): Promise<number> {
  let values: { audio?: string; text?: string; voice?: string; wav?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        audio: { type: 'string' },
        text: { type: 'string' },
        voice: { type: 'string' },
        wav: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`agenthuman lipsync: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if ((values.audio === undefined) === (values.text === undefined)) {
    console.error(`agenthuman lipsync: give exactly one of --audio or --text\n\n${usage}`);
    return 2;
  }
  if (values.voice && !(fliteVoices as readonly string[]).includes(values.voice)) {
    console.error(
      `agenthuman lipsync: unknown voice "${values.voice}"; use one of ${fliteVoices.join(', ')}`,
    );
    return 2;
  }

  let frames: MouthKeyframe[];
  try {
    frames = values.audio !== undefined ? await fromAudio(values.audio) : await fromText(values);
  } catch (error) {
    if (error instanceof WavError || error instanceof TtsError || error instanceof InputError) {
      console.error(`agenthuman lipsync: ${error.message}`);
      return 1;
    }
    throw error;
  }
  print(frames, values.json === true);
  return 0;
}

class InputError extends Error {}

async function fromAudio(path: string): Promise<MouthKeyframe[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : `${path}: cannot read (${code ?? (error as Error).message})`,
    );
  }
  const wav = readWav(bytes);
  if (wav.sampleRate < 8000 || wav.sampleRate > 48000) {
    throw new InputError(`${path}: sample rate ${wav.sampleRate} Hz is outside 8000–48000 Hz`);
  }
  const mono = downmixToMono(wav.samples, wav.channels);
  const resampler = new StreamingResampler(wav.sampleRate, 16000);
  const sync = new AudioLipSync();
  const frames: MouthKeyframe[] = [];
  // Streams in 20 ms pieces, exactly as live audio would be processed.
  const chunk = Math.round(wav.sampleRate / 50);
  for (let at = 0; at < mono.length; at += chunk) {
    frames.push(...sync.push(resampler.push(mono.subarray(at, at + chunk))));
  }
  frames.push(...sync.push(resampler.flush()), ...sync.flush());
  return frames;
}

async function fromText(values: { text?: string; voice?: string; wav?: string }): Promise<MouthKeyframe[]> {
  const tts = new FliteTTS();
  const result = await tts.synthesize(values.text ?? '', { voice: (values.voice ?? 'slt') as FliteVoice });
  if (values.wav) await writeFile(values.wav, writeWav(result.pcm, 16000));
  return keyframesFromPhonemes(result.phonemes);
}

function print(frames: MouthKeyframe[], json: boolean): void {
  const rows = frames.map((f) => ({
    time: round(f.ptsMs / 1000, 3),
    jaw_open: round(f.jawOpen),
    mouth_width: round(f.mouthWidth),
    mouth_round: round(f.mouthRound),
    upper_lip: round(f.upperLip),
    lower_lip: round(f.lowerLip),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ fps: 25, frames: rows })}\n`);
    return;
  }
  const lines = ['time\tjaw_open\tmouth_width\tmouth_round\tupper_lip\tlower_lip'];
  for (const r of rows) {
    lines.push(
      [r.time.toFixed(3), r.jaw_open, r.mouth_width, r.mouth_round, r.upper_lip, r.lower_lip]
        .map((v) => (typeof v === 'number' ? v.toFixed(3) : v))
        .join('\t'),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function round(v: number, digits = 3): number {
  return Number(v.toFixed(digits));
}
