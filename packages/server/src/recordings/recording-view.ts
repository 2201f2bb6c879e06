/** @module `GET /v1/sessions/{id}/recording`: the recording of one of the caller's sessions, as the API shows it. */
import type { Recording } from '@agenthuman/protocol';
import type { RecordingRow, Store } from '@agenthuman/store';
import type { MediaSigner } from '../avatars/media/media-signer.js';
import { AppError, sessionNotFound } from '../http/app-error.js';
import { recordingFilePath } from './recording-files.js';

export async function getRecording(
  deps: { store: Store; signer: MediaSigner },
  accountId: string,
  sessionId: string,
): Promise<Recording> {
  const session = await deps.store.sessions.findForAccount(accountId, sessionId);
  if (!session) throw sessionNotFound();
  if (!session.record) {
    throw new AppError('RECORDING_NOT_FOUND', 'This session is not recorded', {
      suggestion: 'Create sessions with "record": true (or an agent with record on) to record them',
    });
  }
  const row = await deps.store.recordings.findForAccount(accountId, sessionId);
  const status = row?.status ?? (session.endedAt ? 'failed' : 'recording');
  if (status === 'recording' || status === 'processing') {
    throw new AppError(
      'RECORDING_NOT_READY',
      status === 'recording'
        ? 'The session is still being recorded'
        : 'The recording is being stored; try again in a few seconds',
      {
        suggestion: 'The recording is available once the session has ended and it has been stored',
        details: { status, started: session.startedAt !== null },
      },
    );
  }
  if (!row) {
    // Ended before its media ever started: nothing was published, so nothing was recorded.
    return {
      ...emptyView(sessionId, session.createdAt),
      failure: { code: 'RECORDING_EMPTY', reason: 'The session ended before its media started' },
    };
  }
  return toRecordingView(row, deps.signer);
}

function emptyView(sessionId: string, createdAt: Date): Recording {
  return {
    session_id: sessionId,
    status: 'failed',
    url: null,
    url_expires_at: null,
    content_type: 'video/mp4',
    duration: null,
    size: null,
    width: null,
    height: null,
    partial: false,
    frames_dropped: 0,
    failure: null,
    created_at: createdAt.toISOString(),
    ready_at: null,
  };
}

export function toRecordingView(row: RecordingRow, signer: MediaSigner): Recording {
  const ready = row.status === 'ready';
  const url = ready ? signer.url(recordingFilePath(row.sessionId)) : null;
  const expires = url ? Number(new URL(url).searchParams.get('expires')) : undefined;
  return {
    ...emptyView(row.sessionId, row.createdAt),
    status: row.status,
    url,
    url_expires_at: expires ? new Date(expires * 1000).toISOString() : null,
    duration: ready && row.durationMs !== null ? row.durationMs / 1000 : null,
    size: ready ? row.bytes : null,
    width: row.width,
    height: row.height,
    partial: row.partial,
    frames_dropped: row.framesDropped,
    failure:
      row.status === 'failed'
        ? { code: row.failureCode ?? 'RECORDING_FAILED', reason: row.failureReason ?? 'unknown' }
        : null,
    ready_at: row.readyAt?.toISOString() ?? null,
  };
}
