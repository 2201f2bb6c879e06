/** @module Body of the Flite worker thread: one synthesis per message, PCM transferred back. */
import { parentPort } from 'node:worker_threads';
import type { TimedPhoneme } from '@agenthuman/media';
import { FliteTTS } from './flite.js';

export type FliteRequest = { id: number; text: string; voice?: string };
export type FliteReply =
  | { id: number; pcm: Int16Array; phonemes: TimedPhoneme[]; synthMs: number }
  | { id: number; error: string; code: string };

const port = parentPort;
if (!port) throw new Error('flite-worker-main runs only as a worker thread');
const tts = new FliteTTS();

port.on('message', async ({ id, text, voice }: FliteRequest) => {
  const started = performance.now();
  try {
    const result = await tts.synthesize(text, { voice });
    const reply: FliteReply = {
      id,
      pcm: result.pcm,
      phonemes: result.phonemes,
      synthMs: performance.now() - started,
    };
    port.postMessage(reply, [result.pcm.buffer as ArrayBuffer]);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'TTS_FAILED';
    port.postMessage({ id, code, error: error instanceof Error ? error.message : String(error) });
  }
});
