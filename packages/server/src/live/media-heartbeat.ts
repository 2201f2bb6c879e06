/**
 * @module The media heartbeat: every few seconds this process records, on each session whose media it runs,
 * that it still runs it (`sessions.media_owner`, `media_heartbeat_at`). After a kill -9 the beats stop; the
 * sweeper (and the next start-up) ends such sessions `worker_lost`, billed to the last beat, so they stop
 * holding concurrency slots and minutes. The live registry beats once as a session's media starts.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '@agenthuman/store';
import { coalescedBeat } from '../util/coalesced-beat.js';

export const MEDIA_HEARTBEAT_INTERVAL_MS = 5_000;
/** Three missed beats: the owner is gone. */
export const MEDIA_LOST_AFTER_MS = 15_000;

/** This process's media-owner id: host, pid, and a nonce (a restarted container often gets the same pid). */
export const newMediaOwnerId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export type MediaHeartbeat = ReturnType<typeof startMediaHeartbeat>;

export function startMediaHeartbeat(options: {
  store: Store;
  owner: string;
  /** The ids of the sessions whose media runs here now. */
  sessionIds: () => Iterable<string>;
  intervalMs?: number;
  /**
   * Cluster workers: beat only the rows this owner still holds (the API assigned them) and hear which of the
   * beaten ids it no longer holds (ended, or moved to another worker), so their media goes.
   */
  onDisowned?: (ids: string[]) => void;
  onError?: (error: unknown) => void;
}) {
  const { onDisowned } = options;
  const record = async (ids: string[]) => {
    if (!onDisowned) return options.store.sessions.recordMediaHeartbeat(ids, options.owner, new Date());
    const held = new Set(await options.store.sessions.beatOwnedMedia(ids, options.owner, new Date()));
    const gone = ids.filter((id) => !held.has(id));
    if (gone.length > 0) onDisowned(gone);
  };
  // A session started during a write: the one more write after it covers it.
  const { beat, stop } = coalescedBeat(() => record([...options.sessionIds()]), options.onError);

  const timer = setInterval(() => void beat(), options.intervalMs ?? MEDIA_HEARTBEAT_INTERVAL_MS);
  timer.unref();

  return {
    owner: options.owner,
    /** Beats now (a session's media just started); resolves once written. */
    beat,
    /** Stops beating and waits for a write in progress. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await stop();
    },
  };
}
