/**
 * @module Node build: the global WebSocket where Node has one (22+), else the `ws` package (Node 20). Browser
 * bundles never load this file: package.json maps `#websocket` to websocket-browser.ts under `browser`.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { WebSocketConstructor } from './websocket-like.js';

export const DefaultWebSocket: WebSocketConstructor | undefined =
  (globalThis.WebSocket as WebSocketConstructor | undefined) ??
  (NodeWebSocket as unknown as WebSocketConstructor);
