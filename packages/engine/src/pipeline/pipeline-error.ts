/** @module Typed errors of the session pipeline, each with a stable code the API maps to its wire errors. */

export type PipelineErrorCode =
  | 'speech_queue_full'
  | 'invalid_audio'
  | 'session_closed'
  | 'render_failed'
  | 'render_worker_failed'
  | 'encoder_failed';

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export function isPipelineError(error: unknown, code?: PipelineErrorCode): error is PipelineError {
  return error instanceof PipelineError && (code === undefined || error.code === code);
}
