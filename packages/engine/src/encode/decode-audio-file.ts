/** @module Reads any audio file ffmpeg understands as 16 kHz mono PCM16 (the pipeline's input format). */
import { spawn } from 'node:child_process';
import { LiveError } from '../pipeline/live-error.js';
import { resolveFfmpegPath } from './ffmpeg-binary.js';

/** WAV at any rate or channel count, MP3, Ogg, … → 16 kHz mono. Throws INVALID_AUDIO with ffmpeg's reason. */
export async function decodeAudioFile(
  path: string,
  options: { ffmpegPath?: string } = {},
): Promise<Int16Array> {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    path,
    '-vn',
    '-ac',
    '1',
    '-ar',
    '16000',
    '-f',
    's16le',
    '-',
  ];
  const child = spawn(resolveFfmpegPath(options.ffmpegPath), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new LiveError(
      'INVALID_AUDIO',
      `cannot read audio from ${path}: ${stderr.trim() || `ffmpeg exit ${code}`}`,
    );
  }
  const bytes = Buffer.concat(chunks);
  const pcm = new Int16Array(bytes.length >> 1);
  new Uint8Array(pcm.buffer).set(bytes.subarray(0, pcm.length * 2));
  if (pcm.length === 0) throw new LiveError('INVALID_AUDIO', `${path} contains no audio`);
  return pcm;
}
