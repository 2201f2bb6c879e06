/**
 * @module Live previews (the single-use link page) on a cluster API process: the preview's short-lived room runs
 * on the least-loaded worker (`POST /internal/previews` there), and its WHEP signalling is relayed there like a
 * session's. A preview has no session row to name its worker, so `agenthuman:preview:<id>` in Redis does, for as
 * long as a preview can live. No worker free, or none answering: the page shows the still face (the caller's
 * fallback), as `serve` does when it is full.
 */
import type { Redis } from 'ioredis';
import { PREVIEW_MAX_MS } from '../live/live-sessions.js';
import { INTERNAL_HEADER } from './internal-auth.js';
import type { WorkerDirectory } from './worker-registry.js';

const PREVIEW_KEY_PREFIX = 'agenthuman:preview:';
const START_TIMEOUT_MS = 15_000;
/** Room tokens name a preview's room by a `preview_` id instead of a session id. */
export const isPreviewId = (id: string) => id.startsWith('preview_');

export type StartedPreview = { previewId: string; roomName: string; token: string };

export function createPreviewRelay(deps: {
  redis: Redis;
  directory: WorkerDirectory;
  internalSecret: string;
}) {
  return {
    /** Starts a preview on a worker; throws when none takes it (the page then shows the still face). */
    async startPreview(avatar: { avatarId: string; name: string }): Promise<StartedPreview> {
      const worker = deps.directory.pick();
      if (!worker) throw new Error('No worker has a free slot for a preview');
      const response = await fetch(`${worker.url}/internal/previews`, {
        method: 'POST',
        headers: { [INTERNAL_HEADER]: deps.internalSecret, 'content-type': 'application/json' },
        body: JSON.stringify({ avatar_id: avatar.avatarId, name: avatar.name }),
        signal: AbortSignal.timeout(START_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`The worker did not start the preview (HTTP ${response.status})`);
      }
      const started = (await response.json()) as StartedPreview;
      await deps.redis.set(PREVIEW_KEY_PREFIX + started.previewId, worker.id, 'PX', PREVIEW_MAX_MS + 60_000);
      return started;
    },

    /** The URL of the worker running this preview's room, or undefined (unknown, over, or its worker gone). */
    async workerUrlOf(previewId: string): Promise<string | undefined> {
      const workerId = await deps.redis.get(PREVIEW_KEY_PREFIX + previewId);
      return workerId ? deps.directory.get(workerId)?.url : undefined;
    },
  };
}
