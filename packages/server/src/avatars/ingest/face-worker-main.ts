/** @module Body of a face worker thread: loads the face model once, then runs one task per message. */
import { parentPort } from 'node:worker_threads';
import { loadFaceModel } from '@agenthuman/engine';
import type { FaceTask, IngestOutcome, PublicAvatarImages } from './face-ingest.js';
import { ingestPortrait, renderPublicAvatar } from './ingest-portrait.js';

export type WorkerRequest = { id: number; task: FaceTask };
export type WorkerResult = IngestOutcome | PublicAvatarImages;
export type WorkerReply = { id: number; result: WorkerResult } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('face-worker-main runs only as a worker thread');

// Loading starts at once so the first upload does not also wait for the model.
const ready = loadFaceModel();

const buffersOf = (result: WorkerResult): ArrayBuffer[] => {
  const parts =
    'ok' in result
      ? result.ok
        ? [result.face.preview, result.face.image, ...Object.values(result.face.rigs)]
        : []
      : [result.preview, result.image];
  return parts.map((b) => b.buffer as ArrayBuffer);
};

port.on('message', async ({ id, task }: WorkerRequest) => {
  try {
    await ready;
    const result =
      task.kind === 'ingest' ? await ingestPortrait(task.bytes) : await renderPublicAvatar(task.slug);
    port.postMessage({ id, result } satisfies WorkerReply, buffersOf(result));
  } catch (error) {
    port.postMessage({
      id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
});
