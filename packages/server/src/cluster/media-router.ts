/**
 * @module The API side of scale-out: which worker runs a session's media. A starting session goes to the
 * least-loaded live worker (the registry), recorded first in `sessions.media_owner` (the database is what every
 * API process reads), then the worker is told over its internal endpoint. A worker that is full or does not
 * answer is skipped; when none takes it the session ends `worker_lost` (no media will ever play).
 */
import type { SessionRow, Store } from '@agenthuman/store';
import { INTERNAL_HEADER } from './internal-auth.js';
import type { WorkerDirectory, WorkerInfo } from './worker-registry.js';

const START_TIMEOUT_MS = 15_000;

export type MediaRouter = ReturnType<typeof createMediaRouter>;

export function createMediaRouter(deps: {
  store: Store;
  directory: WorkerDirectory;
  internalSecret: string;
  log?: { warn(object: unknown, message: string): void };
}) {
  /** Tells `worker` to run the session's media; true when it does. */
  async function tell(worker: WorkerInfo, sessionId: string): Promise<boolean> {
    try {
      const response = await fetch(`${worker.url}/internal/sessions/${encodeURIComponent(sessionId)}/media`, {
        method: 'POST',
        headers: { [INTERNAL_HEADER]: deps.internalSecret },
        signal: AbortSignal.timeout(START_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return response.ok;
    } catch (error) {
      deps.log?.warn({ err: error, worker: worker.id, sessionId }, 'worker did not take the session');
      return false;
    }
  }

  function workerOfRow(row: SessionRow | undefined): string | 'none' | 'unreachable' {
    if (!row?.mediaOwner || row.endedAt) return 'none';
    return deps.directory.get(row.mediaOwner)?.url ?? 'unreachable';
  }

  async function workerOf(sessionId: string): Promise<string | 'none' | 'unreachable'> {
    return workerOfRow(await deps.store.sessions.findById(sessionId));
  }

  return {
    hasCapacity: () => deps.directory.hasCapacity(),

    /**
     * Places a started session on a worker. `from`: the worker it ran on (a resume), moved only if still
     * there: `raced` when another API process moved or ended it first. Returns the worker id, or undefined
     * when no worker took it.
     */
    async place(row: Pick<SessionRow, 'id'>, from?: string): Promise<string | 'raced' | undefined> {
      const tried = new Set<string>(from ? [from] : []);
      let owner = from;
      for (;;) {
        const worker = deps.directory.pick(tried);
        if (!worker) return undefined;
        tried.add(worker.id);
        const at = new Date();
        if (owner === undefined) {
          await deps.store.sessions.recordMediaHeartbeat([row.id], worker.id, at);
        } else if (!(await deps.store.sessions.moveMedia(row.id, owner, worker.id, at))) {
          return owner === from ? 'raced' : undefined;
        }
        owner = worker.id;
        if (await tell(worker, row.id)) return worker.id;
      }
    },

    /** The URL of the worker that runs the session's media now, or undefined (none yet, or it is gone). */
    async workerUrlOf(sessionId: string): Promise<string | undefined> {
      const found = await workerOf(sessionId);
      return found === 'none' || found === 'unreachable' ? undefined : found;
    },

    /**
     * Where a running session's media is: its worker's URL, `'none'` (no media owner: unknown, ended, agent_chat)
     * or `'unreachable'` (its worker is not in the registry: lost, or about to be resumed elsewhere).
     */
    workerOf,

    /** `workerOf` for a session named by its legacy integer id (`/api/v1`). */
    async workerOfSeq(seq: number): Promise<string | 'none' | 'unreachable'> {
      return workerOfRow(await deps.store.sessions.findBySeq(seq));
    },
  };
}
