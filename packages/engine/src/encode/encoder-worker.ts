/**
 * @module The encoder thread: owns recordings' ffmpeg children and writes their frames and audio into the pipes,
 * so the main thread's share of a recorded frame is one copy into shared memory and one small message.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Cell, type FromEncoderThread, type PcmChunk, type ToEncoderThread } from './encoder-protocol.js';
import { FfmpegEncoder } from './ffmpeg-encoder.js';

interface Open {
  encoder: FfmpegEncoder;
  state: Int32Array;
  slots: Uint8Array[];
  options: { width: number; height: number; format: 'i420' | 'rgba' };
  failed: boolean;
  /** Audio not yet written to ffmpeg (see AUDIO_WRITE_SAMPLES). */
  audio: PcmChunk[];
  audioSamples: number;
}

/**
 * Audio goes to ffmpeg in 200 ms writes, not with every frame: each write wakes ffmpeg's audio input thread and
 * its read loop, and one write per frame cost ~6 ms of ffmpeg CPU per session-second more (33–36 vs 27–28 ms/s
 * in real time). ffmpeg reads each pipe on its own thread and queues 64 video packets, so video never waits.
 */
const AUDIO_WRITE_SAMPLES = 3_200; // 200 ms at 16 kHz

const port = parentPort;
if (!port) throw new Error('encoder-worker.ts must run in a worker thread');
const open = new Map<number, Open>();
lowerPriority((workerData as { niceness?: number } | null)?.niceness ?? 10);
post({ type: 'ready', id: 0 });

port.on('message', (message: ToEncoderThread) => {
  if (message.type === 'open') return start(message);
  const entry = open.get(message.id);
  if (!entry) return;
  switch (message.type) {
    case 'write':
      write(message.id, entry, message);
      return;
    case 'close':
      open.delete(message.id);
      flushAudio(message.id, entry);
      entry.encoder.close().then(
        () => post({ type: 'closed', id: message.id }),
        (error: Error) => post({ type: 'failed', id: message.id, message: error.message }),
      );
      return;
    case 'kill':
      open.delete(message.id);
      entry.encoder.kill();
      return;
  }
});

function start(message: Extract<ToEncoderThread, { type: 'open' }>): void {
  const state = new Int32Array(message.state);
  const count = message.slots.byteLength / message.frameBytes;
  const slots = Array.from(
    { length: count },
    (_, i) => new Uint8Array(message.slots, i * message.frameBytes, message.frameBytes),
  );
  try {
    const encoder = new FfmpegEncoder(message.options);
    Atomics.store(state, Cell.pid, encoder.pid ?? 0);
    const { width, height, pixelFormat } = message.options;
    open.set(message.id, {
      encoder,
      state,
      slots,
      options: { width, height, format: pixelFormat ?? 'i420' },
      failed: false,
      audio: [],
      audioSamples: 0,
    });
  } catch (error) {
    post({ type: 'failed', id: message.id, message: (error as Error).message });
  }
}

function write(id: number, entry: Open, message: Extract<ToEncoderThread, { type: 'write' }>): void {
  const { encoder, state } = entry;
  try {
    if (!entry.failed) {
      for (const chunk of message.audio) {
        entry.audio.push(chunk);
        entry.audioSamples += chunk.pcm.length;
      }
      if (entry.audioSamples >= AUDIO_WRITE_SAMPLES) flushAudio(id, entry);
      if (message.slot !== undefined && !entry.failed) {
        const slot = message.slot;
        void encoder.writeVideo({
          ...entry.options,
          data: entry.slots[slot]!,
          ptsMs: message.ptsMs,
          // The encoder calls it once ffmpeg has taken every write of this frame and it is no longer the frame
          // to repeat: the main thread may then copy a new frame into the slot.
          recycle: () => {
            Atomics.store(state, Cell.slots + slot, 0);
            publish(entry);
          },
        });
      }
    }
  } catch (error) {
    // ffmpeg gone or refusing: the slot stays held (a failed pipe write may still read it); the recording fails.
    entry.failed = true;
    post({ type: 'failed', id, message: (error as Error).message });
  }
  publish(entry);
}

/** Writes the audio held back as one chunk (the pipe is timed by sample count, so chunks simply join). */
function flushAudio(id: number, entry: Open): void {
  const chunks = entry.audio;
  if (chunks.length === 0 || entry.failed) return;
  entry.audio = [];
  entry.audioSamples = 0;
  const pcm = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.pcm.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    pcm.set(chunk.pcm, at);
    at += chunk.pcm.length;
  }
  try {
    void entry.encoder.writeAudio({ pcm, sampleRate: chunks[0]!.sampleRate, ptsMs: chunks[0]!.ptsMs });
  } catch (error) {
    entry.failed = true;
    post({ type: 'failed', id, message: (error as Error).message });
  }
}

function publish(entry: Open): void {
  const stats = entry.encoder.stats;
  Atomics.store(entry.state, Cell.backlogBytes, stats.backlogBytes);
  Atomics.store(entry.state, Cell.framesIn, stats.framesIn);
  Atomics.store(entry.state, Cell.framesRepeated, stats.framesRepeated);
  Atomics.store(entry.state, Cell.framesEncoded, stats.framesEncoded);
}

/**
 * Linux nices threads one by one: this thread's id, from /proc/thread-self, gets the recording's niceness
 * (never below the main thread's), so its pipe writes yield to the main thread and the render workers when the
 * cores are busy. Not relative to the main thread: in a process started under `nice` that would starve the
 * recording (frames dropped at load 19 in tests) for no gain to the live stream there.
 */
function lowerPriority(niceness: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(process.pid), niceness));
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

function post(message: FromEncoderThread): void {
  port!.postMessage(message);
}
