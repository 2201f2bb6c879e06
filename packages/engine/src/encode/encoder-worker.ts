/**
 * @module The encoder thread: owns recordings' ffmpeg children and writes their frames and audio into the pipes,
 * so the main thread's share of a recorded frame is one copy into shared memory and one small message.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Cell, type FromEncoderThread, type ToEncoderThread } from './encoder-protocol.js';
import { FfmpegEncoder } from './ffmpeg-encoder.js';

interface Open {
  encoder: FfmpegEncoder;
  state: Int32Array;
  slots: Uint8Array[];
  options: { width: number; height: number; format: 'i420' | 'rgba' };
  failed: boolean;
}

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
    });
  } catch (error) {
    post({ type: 'failed', id: message.id, message: (error as Error).message });
  }
}

function write(id: number, entry: Open, message: Extract<ToEncoderThread, { type: 'write' }>): void {
  const { encoder, state } = entry;
  try {
    if (!entry.failed) {
      for (const chunk of message.audio) void encoder.writeAudio(chunk);
      if (message.slot !== undefined) {
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
