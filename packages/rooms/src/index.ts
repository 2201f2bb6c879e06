export {
  BuiltinRoom,
  type BuiltinRoomOptions,
  type RoomStats,
  type ViewerVideoStats,
} from './builtin/builtin-room.js';
export { createRoomRequestHandler, type RoomHttpOptions } from './builtin/node-http.js';
export { RoomError, type RoomErrorCode } from './builtin/room-error.js';
export {
  RoomHub,
  type RoomHubOptions,
  type VerifyToken,
  type WhepRequest,
  type WhepResponse,
} from './builtin/room-hub.js';
export { renderViewerPage, type ViewerPageOptions } from './builtin/viewer-page.js';
export type * from './transport.js';
