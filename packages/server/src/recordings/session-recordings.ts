/**
 * @module Session recordings in this process: a recorder per recorded session (one more sink of its live
 * avatar), the MP4 growing in a local temporary file while the session runs, uploaded to the blob store when it
 * ends. Recordings a dead process left behind are finished at start-up: the fragmented file it was writing is
 * uploaded as a partial recording, or the recording fails with a reason.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readMediaDurationMs, SessionRecorder } from '@agenthuman/engine/encode';
import type { RecordingRow, Repositories, Store } from '@agenthuman/store';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import { recordingBlobKey } from './recording-files.js';

export type RecordingReady = {
  sessionId: string;
  accountId: string;
  durationMs: number;
  bytes: number;
  partial: boolean;
};
export type RecordingFailed = { sessionId: string; accountId: string; code: string; reason: string };

/**
 * What other code hears (the webhooks outbox at merge): called inside the transaction that records the new
 * status, with its repositories, so an event written there commits (or not) with the status.
 */
export interface RecordingEvents {
  onRecordingReady?(repos: Repositories, event: RecordingReady): Promise<void> | void;
  onRecordingFailed?(repos: Repositories, event: RecordingFailed): Promise<void> | void;
}

export type SessionRecordingsOptions = {
  store: Store;
  blobs: BlobStore;
  /** Where files grow while sessions run (`<dataDir>/recordings`). */
  tempDir: string;
  /** This process's media-owner id (sessions.media_owner): who may finish a recording. */
  owner: string;
  events?: RecordingEvents;
  /** A recorded session ended longer ago than this and still `recording` lost its process. */
  abandonedAfterMs?: number;
  log?: Logger;
};

type Logger = {
  info(object: unknown, message: string): void;
  warn(object: unknown, message: string): void;
};

export type SessionRecordings = ReturnType<typeof createSessionRecordings>;

export function createSessionRecordings(options: SessionRecordingsOptions) {
  const { store, blobs, owner } = options;
  const recorders = new Map<string, SessionRecorder>();
  let log = options.log;

  async function fail(row: Pick<RecordingRow, 'sessionId' | 'accountId'>, code: string, reason: string) {
    await store.transaction(async (repos) => {
      const failed = await repos.recordings.transition(row.sessionId, ['recording', 'processing'], {
        status: 'failed',
        failureCode: code,
        failureReason: reason,
      });
      if (failed) {
        await options.events?.onRecordingFailed?.(repos, {
          sessionId: row.sessionId,
          accountId: row.accountId,
          code,
          reason,
        });
      }
    });
    log?.warn({ sessionId: row.sessionId, code, reason }, 'recording failed');
  }

  /** Uploads the file and marks the recording ready (from `processing`). */
  async function store_(
    row: Pick<RecordingRow, 'sessionId' | 'accountId'>,
    path: string,
    result: { durationMs: number; framesDropped: number; partial: boolean },
  ): Promise<void> {
    const { size } = await stat(path);
    const key = recordingBlobKey(row.sessionId);
    await blobs.putFile(key, path, 'video/mp4');
    await store.transaction(async (repos) => {
      const ready = await repos.recordings.transition(row.sessionId, ['processing'], {
        status: 'ready',
        blobKey: key,
        bytes: size,
        durationMs: Math.round(result.durationMs),
        framesDropped: result.framesDropped,
        partial: result.partial,
        tempPath: null,
        readyAt: new Date(),
      });
      if (ready) {
        await options.events?.onRecordingReady?.(repos, {
          sessionId: row.sessionId,
          accountId: row.accountId,
          durationMs: Math.round(result.durationMs),
          bytes: size,
          partial: result.partial,
        });
      }
    });
    await rm(path, { force: true });
  }

  return {
    setLogger(logger: Logger): void {
      log = logger;
    },

    /** The sink that records a session whose media is starting here (attach it from the first frame). */
    async begin(session: { id: string; accountId: string }): Promise<SessionRecorder> {
      await mkdir(options.tempDir, { recursive: true });
      const path = join(options.tempDir, `${session.id}.mp4`);
      await rm(path, { force: true });
      await store.recordings.start({
        sessionId: session.id,
        accountId: session.accountId,
        owner,
        tempPath: path,
      });
      const recorder = new SessionRecorder({
        output: path,
        onFailed: (error) =>
          void fail(
            { sessionId: session.id, accountId: session.accountId },
            'RECORDER_FAILED',
            error.message,
          ).catch((cause) =>
            log?.warn({ err: cause, sessionId: session.id }, 'recording failure not stored'),
          ),
      });
      recorders.set(session.id, recorder);
      return recorder;
    },

    /** The session's media has stopped: the file is finished, uploaded and the recording made ready. */
    async finish(sessionId: string): Promise<void> {
      const recorder = recorders.get(sessionId);
      if (!recorder) return;
      recorders.delete(sessionId);
      const row = await store.recordings.transition(
        sessionId,
        ['recording'],
        { status: 'processing' },
        owner,
      );
      if (!row) {
        recorder.kill();
        return;
      }
      try {
        const result = await recorder.stop();
        if (!result.recorded) {
          await fail(row, 'RECORDING_EMPTY', 'The session ended before its first video frame');
          return;
        }
        await store_(row, result.output, { ...result, partial: false });
      } catch (error) {
        await fail(row, 'RECORDING_FAILED', (error as Error).message);
      }
    },

    /**
     * Finishes recordings a dead process left: the fragmented file it was writing, when it is on this host,
     * is uploaded as `partial`; otherwise the recording fails with RECORDING_INTERRUPTED.
     */
    async recoverAbandoned(now = new Date()): Promise<number> {
      const endedBefore = new Date(now.getTime() - (options.abandonedAfterMs ?? 60_000));
      const rows = await store.recordings.abandoned(owner, endedBefore);
      for (const row of rows) {
        // Taken over under this owner: a later pass (here or in another process) no longer sees it.
        const taken = await store.recordings.transition(
          row.sessionId,
          [row.status],
          { status: 'processing', owner },
          row.owner,
        );
        if (!taken) continue;
        const path = row.tempPath;
        const durationMs = path && existsSync(path) ? await readMediaDurationMs(path) : undefined;
        if (!path || durationMs === undefined) {
          await fail(
            row,
            'RECORDING_INTERRUPTED',
            'The server recording this session stopped before the recording was stored, and no playable part ' +
              'of it was found on this host',
          );
          continue;
        }
        try {
          await store_(row, path, { durationMs, framesDropped: row.framesDropped, partial: true });
          log?.info(
            { sessionId: row.sessionId, durationMs },
            'stored the partial recording of a lost session',
          );
        } catch (error) {
          await fail(row, 'RECORDING_FAILED', (error as Error).message);
        }
      }
      return rows.length;
    },

    /** The recorder of a session recording here now (its stats: frames dropped, the file's first pts). */
    get(sessionId: string): SessionRecorder | undefined {
      return recorders.get(sessionId);
    },
  };
}
