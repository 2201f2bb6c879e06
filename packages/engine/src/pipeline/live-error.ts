/**
 * @module The one error type of live media, from the entrance to the render workers. Codes are the WebSocket
 * protocol's upper-case codes where the client can see them (QUEUE_FULL, EMPTY_AUDIO, …); the rest are for logs.
 */

export type LiveErrorCode =
  /** More than the queue bound (WS_MAX_QUEUED_SECONDS) would wait to play; nothing was queued. */
  | 'QUEUE_FULL'
  | 'EMPTY_AUDIO'
  | 'INVALID_AUDIO'
  | 'INVALID_SAMPLE_RATE'
  | 'TTS_FAILED'
  /** An interrupt overtook the request (its speech was never queued). */
  | 'INTERRUPTED'
  | 'SESSION_ENDED'
  | 'NO_CAPACITY'
  | 'NO_AVATAR_MEDIA'
  | 'RENDER_FAILED'
  | 'RENDER_WORKER_FAILED'
  | 'ENCODER_FAILED';

export class LiveError extends Error {
  override readonly name = 'LiveError';
  constructor(
    readonly code: LiveErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export function isLiveError(error: unknown, code?: LiveErrorCode): error is LiveError {
  return error instanceof LiveError && (code === undefined || error.code === code);
}
