/**
 * @module The signed download of a recording (`GET /v1/recordings/{id}/file`): the signature checked, then the
 * file streamed from the blob store, whole or one byte range, never held in memory.
 */
import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange } from '../avatars/blobs/blob-store.js';
import { checkSignedUrl } from '../avatars/media/check-signed-url.js';
import type { MediaSigner } from '../avatars/media/media-signer.js';
import { AppError } from '../http/app-error.js';
import { resolveByteRange } from './byte-range.js';
import { recordingBlobKey, recordingFilePath } from './recording-files.js';

export type RecordingDownloadRequest = {
  sessionId: string;
  expires: string | undefined;
  sig: string | undefined;
  /** The `Range` header, if any. */
  range: string | undefined;
  /** With `If-Range` the client holds a validator we never issued, so it gets the whole file. */
  ifRange: boolean;
  /** HEAD: the answer without the bytes (nothing is read from the store but the size). */
  headOnly: boolean;
};

export type RecordingDownload =
  | { kind: 'file'; stream: Readable | undefined; size: number; range?: ByteRange; maxAgeS: number }
  | { kind: 'unsatisfiable'; size: number };

export async function openRecordingDownload(
  deps: { blobs: BlobStore; signer: MediaSigner },
  request: RecordingDownloadRequest,
): Promise<RecordingDownload> {
  const { sessionId, expires } = request;
  checkSignedUrl(deps.signer, recordingFilePath(sessionId), request, {
    what: 'recording',
    invalid: 'Use the url of GET /v1/sessions/{id}/recording exactly as the API returned it',
    expired: 'GET /v1/sessions/{id}/recording again for a fresh URL',
  });
  const key = recordingBlobKey(sessionId);
  const size = await deps.blobs.size(key);
  if (size === undefined) throw recordingGone();
  const answer = resolveByteRange(request.ifRange ? undefined : request.range, size);
  if (answer.kind === 'unsatisfiable') return { kind: 'unsatisfiable', size };
  const range = answer.kind === 'partial' ? answer.range : undefined;
  const stream = request.headOnly ? undefined : await deps.blobs.read(key, range);
  // Deleted between the size and the read: as gone as before it.
  if (!request.headOnly && !stream) throw recordingGone();
  return { kind: 'file', stream, size, range, maxAgeS: deps.signer.secondsLeft(expires!) };
}

const recordingGone = () => new AppError('NOT_FOUND', 'This recording no longer exists');

export const rangeNotSatisfiable = (size: number) =>
  new AppError('RANGE_NOT_SATISFIABLE', `The range asked for lies outside the recording (${size} bytes)`, {
    suggestion:
      'Ask for bytes=<first>-<last> with first below the size, or leave Range out for the whole file',
    details: { field: 'range', size },
  });
