/** @module The seam where an image (URL or base64) becomes an avatar; the real pipeline plugs in here later. */
import { AppError } from '../http/app-error.js';

export type FaceSource = { kind: 'url'; url: string } | { kind: 'base64'; data: string };

/** Turns an image into a stored avatar of `accountId` and returns its id and name. */
export type IngestFace = (input: {
  accountId: string;
  source: FaceSource;
}) => Promise<{ avatarId: string; name: string }>;

/** Used until a face pipeline is configured: refuses clearly instead of guessing. */
export const ingestFaceUnavailable: IngestFace = async () => {
  throw new AppError(
    'AVATAR_INGEST_UNAVAILABLE',
    'Creating an avatar from an image is not available on this server',
    {
      suggestion: 'Pass an avatar id instead (a PUBLIC/Avatars/... id or an avat_ id from GET /v1/avatars)',
      details: { field: 'avatar' },
    },
  );
};
