/**
 * @module Flite on a worker thread, as a `TTS`. Synthesis is synchronous WASM: ~30 ms per second of speech on
 * this machine, so a sentence would hold the event loop (and every session's media clock) for 50–300 ms;
 * measured in `flite-worker.test.ts`. One thread serves the process (`speak_text` and the agents' Flite voice
 * alike); requests queue in order and an aborted request's result is dropped when it arrives.
 */
import { Worker } from 'node:worker_threads';
import { type TTS, TtsError, type TtsErrorCode, type TtsOptions, type TtsResult } from '@agenthuman/media';
import { fliteVoices } from './flite.js';
import type { FliteReply, FliteRequest } from './flite-worker-main.js';

export type Speech = TtsResult & { synthMs: number };

export interface FliteWorker extends TTS {
  synthesize(text: string, options?: TtsOptions): Promise<Speech>;
  close(): Promise<void>;
}

const ENTRY = new URL('./flite-worker.mjs', import.meta.url);

type Pending = { resolve: (speech: Speech) => void; reject: (error: Error) => void };

const ttsError = (code: string, message: string) => new TtsError(code as TtsErrorCode, message);

export function createFliteWorker(): FliteWorker {
  let worker: Worker | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  function failAll(error: Error) {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  function ensureWorker(): Worker {
    if (worker) return worker;
    const started = new Worker(ENTRY);
    started.on('message', (reply: FliteReply) => {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (!waiter) return;
      if ('error' in reply) waiter.reject(ttsError(reply.code, reply.error));
      else
        waiter.resolve({
          sampleRate: 16000,
          pcm: reply.pcm,
          phonemes: reply.phonemes,
          synthMs: reply.synthMs,
        });
    });
    const died = (error: Error) => {
      if (worker === started) worker = undefined;
      failAll(new TtsError('TTS_FAILED', `speech worker stopped: ${error.message}`));
    };
    started.on('error', died);
    started.on('exit', (code) => died(new Error(`exit code ${code}`)));
    // Idle, the thread must not keep the process alive.
    started.unref();
    worker = started;
    return started;
  }

  return {
    voices: fliteVoices,
    synthesize(text, options = {}) {
      if (closed) return Promise.reject(new TtsError('TTS_FAILED', 'speech worker is closed'));
      const id = nextId++;
      return new Promise<Speech>((resolve, reject) => {
        const signal = options.signal;
        if (signal?.aborted) return reject(new TtsError('INTERRUPTED', 'interrupted'));
        const onAbort = () => {
          pending.delete(id);
          reject(new TtsError('INTERRUPTED', 'interrupted before the speech was queued'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: (speech) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(speech);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        });
        ensureWorker().postMessage({ id, text, voice: options.voice } satisfies FliteRequest);
      });
    },
    async close() {
      closed = true;
      failAll(new TtsError('TTS_FAILED', 'speech worker closed'));
      const current = worker;
      worker = undefined;
      await current?.terminate();
    },
  };
}
