export type RoomErrorCode =
  | 'ROOM_TOKEN_REQUIRED'
  | 'ROOM_TOKEN_INVALID'
  | 'ROOM_NOT_FOUND'
  | 'ROOM_EXISTS'
  | 'ROOM_FULL'
  | 'VIEWER_NOT_FOUND'
  | 'INVALID_SDP'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'NEGOTIATION_FAILED'
  | 'INTERNAL_ERROR';

/** An error a signalling request can end with: an HTTP status, a stable code and a message safe to show. */
export class RoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: RoomErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}
