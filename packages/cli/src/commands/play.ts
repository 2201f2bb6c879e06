/** @module `agenthuman play --session ID file.wav`: streams audio into a live session at real time. */
import { stat } from 'node:fs/promises';
import { sendAudioFile } from '@agenthuman/sdk/node';
import { defineCommand, UsageError } from '../command-kit.js';
import { openLive, printSessionEndsNote, waitForSpeechEnd, watchEnd } from '../live-connection.js';
import { err, out } from '../terminal/style.js';

export default defineCommand('play', {
  usage: '--session ID <file.wav | file.pcm> [--rate HZ] [--speed X] [--chunk-ms MS] [--json]',
  summary: 'stream a WAV (any rate, mono or stereo) or raw PCM16 file into a live session, with progress',
  details:
    'The audio goes out in chunks paced at real time (--speed 2 sends twice as fast) and the avatar\n' +
    'lip-syncs to it. Raw .pcm files are 16-bit little-endian mono at --rate (default 16000).',
  json: true,
  minPositionals: 1,
  options: {
    session: { type: 'string', short: 's', description: 'session id (required)' },
    token: { type: 'string', description: "the session's streaming token (default: the saved one)" },
    rate: { type: 'string', description: 'sample rate of raw PCM input, 8000–48000' },
    speed: { type: 'string', description: 'pacing: 1 = real time (default)' },
    'chunk-ms': { type: 'string', description: 'chunk length, 20–100 ms (default 40)' },
  },
  async run({ positionals, values, json, client, printJson }) {
    if (typeof values.session !== 'string') throw new UsageError('--session is required');
    const file = positionals[0] as string;
    if (!(await stat(file).catch(() => undefined))?.isFile()) throw new UsageError(`${file}: no such file`);
    const speed = values.speed === undefined ? 1 : Number(values.speed);
    const chunkMs = values['chunk-ms'] === undefined ? 40 : Number(values['chunk-ms']);
    const rate = values.rate === undefined ? undefined : Number(values.rate);
    if (!(speed > 0)) throw new UsageError('--speed must be a positive number');
    if (!(chunkMs >= 20 && chunkMs <= 100)) throw new UsageError('--chunk-ms must be between 20 and 100');
    const live = await openLive(client(), values.session, values.token as string | undefined);
    const end = watchEnd(live);
    const bar = !json && process.stderr.isTTY ? progressBar() : undefined;
    try {
      const result = await sendAudioFile(live, file, {
        speed,
        chunkMs,
        ...(rate !== undefined && { sampleRate: rate, format: file.endsWith('.wav') ? 'auto' : 'pcm16' }),
        ...(bar && { onProgress: bar.update }),
      }).catch((error) => {
        throw end.reason ? end.error() : error;
      });
      bar?.finish();
      await waitForSpeechEnd(live, 0);
      if (end.reason) throw end.error();
      if (json) printJson({ session_id: live.sessionId, ...result });
      else
        console.log(
          `${out.green('✓')} played ${(result.durationMs / 1000).toFixed(1)} s in ${result.chunks} chunks`,
        );
    } finally {
      bar?.finish();
      await live.close();
    }
    if (!json) printSessionEndsNote(live.sessionId);
    return 0;
  },
});

function progressBar() {
  let last = 0;
  let finished = false;
  return {
    update({
      confirmedMs,
      sentMs,
      totalMs,
    }: {
      confirmedMs: number;
      sentMs: number;
      totalMs: number | undefined;
    }) {
      const now = Date.now();
      if (now - last < 100 || finished) return;
      last = now;
      const width = 30;
      const fraction = totalMs ? Math.min(1, sentMs / totalMs) : 0;
      const filled = Math.round(fraction * width);
      const bar = totalMs ? `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ` : '';
      const total = totalMs ? ` / ${(totalMs / 1000).toFixed(1)}` : '';
      process.stderr.write(
        `\r${bar}${(sentMs / 1000).toFixed(1)}${total} s ${err.dim(`(confirmed ${(confirmedMs / 1000).toFixed(1)} s)`)}`,
      );
    },
    finish() {
      if (finished) return;
      finished = true;
      process.stderr.write('\n');
    },
  };
}
