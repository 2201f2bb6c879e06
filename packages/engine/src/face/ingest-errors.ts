// Errors face ingest reports for bad input. `code` is stable and is what the API maps to its error body.

export type FaceIngestErrorCode = 'NO_FACE' | 'MULTIPLE_FACES' | 'FACE_TOO_SMALL' | 'UNSUPPORTED_IMAGE';

export class FaceIngestError extends Error {
  override readonly name = 'FaceIngestError';
  readonly code: FaceIngestErrorCode;
  /** The request field the error refers to, for API error bodies. */
  readonly field = 'image';

  constructor(code: FaceIngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isFaceIngestError(err: unknown): err is FaceIngestError {
  return err instanceof FaceIngestError;
}
