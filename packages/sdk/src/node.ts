/**
 * @module Node-only helpers (`@agenthuman/sdk/node`): read a WAV or PCM file from disk as a stream, so long
 * files are never loaded whole. Browser code imports `@agenthuman/sdk` only.
 */
import { createReadStream } from 'node:fs';
import type { LiveSession, SendAudioOptions, SendAudioResult } from './live/live-session.js';

export * from './index.js';

/** Streams a file (WAV with any header rate, or raw PCM16 with `sampleRate`) into the session at real time. */
export function sendAudioFile(
  live: LiveSession,
  path: string,
  options: SendAudioOptions = {},
): Promise<SendAudioResult> {
  return live.sendAudio(createReadStream(path, { highWaterMark: 64 * 1024 }), options);
}
