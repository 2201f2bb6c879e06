/**
 * @module Flite on a worker thread. Synthesis is synchronous WASM: ~30 ms per second of speech on this machine,
 * so a sentence would hold the API's event loop (and every session's media clock) for 50–300 ms; measured in
 * `flite-worker.test.ts`. One thread serves the process; requests queue in order and an aborted request's
 * result is dropped when it arrives.
 */
import { Worker } from 'node:worker_threads';
import type { TimedPhoneme } from '@agenthuman/engine';
import type { FliteReply, FliteRequest } from './flite-worker-main.js';

export type Speech = { pcm: Int16Array; phonemes: TimedPhoneme[]; synthMs: number };

export class SpeechError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}

export interface SpeechSynthesizer {
  synthesize(text: string, options?: { voice?: string; signal?: AbortSignal }): Promise<Speech>;
  close(): Promise<void>;
}

const ENTRY = new URL('./flite-worker.mjs', import.meta.url);

type Pending = { resolve: (speech: Speech) => void; reject: (error: Error) => void };

export function createFliteWorker(): SpeechSynthesizer {
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
      if ('error' in reply) waiter.reject(new SpeechError(reply.code, reply.error));
      else waiter.resolve({ pcm: reply.pcm, phonemes: reply.phonemes, synthMs: reply.synthMs });
    });
    const died = (error: Error) => {
      if (worker === started) worker = undefined;
      failAll(new SpeechError('TTS_FAILED', `speech worker stopped: ${error.message}`));
    };
    started.on('error', died);
    started.on('exit', (code) => died(new Error(`exit code ${code}`)));
    // Idle, the thread must not keep the process alive.
    started.unref();
    worker = started;
    return started;
  }

  return {
    synthesize(text, options = {}) {
      if (closed) return Promise.reject(new SpeechError('TTS_FAILED', 'speech worker is closed'));
      const id = nextId++;
      return new Promise<Speech>((resolve, reject) => {
        const signal = options.signal;
        if (signal?.aborted) return reject(new SpeechError('INTERRUPTED', 'interrupted'));
        const onAbort = () => {
          pending.delete(id);
          reject(new SpeechError('INTERRUPTED', 'interrupted before the speech was queued'));
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
      failAll(new SpeechError('TTS_FAILED', 'speech worker closed'));
      const current = worker;
      worker = undefined;
      await current?.terminate();
    },
  };
}
