/** @module Browser build: the platform's WebSocket (picked through the `#websocket` import condition). */
import type { WebSocketConstructor } from './websocket-like.js';

export const DefaultWebSocket: WebSocketConstructor | undefined = globalThis.WebSocket as
  | WebSocketConstructor
  | undefined;
