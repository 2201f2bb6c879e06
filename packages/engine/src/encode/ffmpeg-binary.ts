/** @module Where the ffmpeg binary comes from: the static build shipped inside npm (@ffmpeg-installer). */
import { createRequire } from 'node:module';
import { LiveError } from '../pipeline/live-error.js';

const require = createRequire(import.meta.url);

/**
 * The npm build (a 2018 static ffmpeg with libvpx, libx264, libopus, libvorbis and aac) installs with
 * `npm install` alone, so `npm start` needs no apt step. An explicit path (a newer system ffmpeg) wins.
 */
export function resolveFfmpegPath(explicit?: string): string {
  if (explicit) return explicit;
  try {
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (error) {
    throw new LiveError(
      'ENCODER_FAILED',
      'ffmpeg binary not found: @ffmpeg-installer/ffmpeg is not installed',
      {
        cause: error,
      },
    );
  }
}
