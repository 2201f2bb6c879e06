/** @module How long a media file plays, by decoding it with the bundled ffmpeg (a cut-off file has no index). */
import { spawn } from 'node:child_process';
import { resolveFfmpegPath } from './ffmpeg-binary.js';

/**
 * Decodes every stream to nowhere and returns the last timestamp ffmpeg reached, in ms; undefined when the file
 * holds nothing playable. Decoding (not the header) is what a crash-cut fragmented MP4 can be trusted for.
 */
export async function readMediaDurationMs(
  path: string,
  options: { ffmpegPath?: string } = {},
): Promise<number | undefined> {
  const args = ['-hide_banner', '-nostdin', '-i', path, '-f', 'null', '-'];
  const child = spawn(resolveFfmpegPath(options.ffmpegPath), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  const times = [...stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const last = times.at(-1);
  if (code !== 0 || !last) return undefined;
  const ms = (Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])) * 1000;
  return ms > 0 ? Math.round(ms) : undefined;
}
