/**
 * @module Server events of the WebSocket command channel (spec section 7). The types come from the protocol
 * package, imported as types only, so the SDK carries no zod at runtime.
 */
import type { ServerEvent, WsErrorCode } from '@agenthuman/protocol';

export type { ServerEvent, WsErrorCode };

export type ServerEventType = ServerEvent['type'];
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/** Local events of the helper itself: the socket closed (any reason). */
export type CloseEvent = { type: 'close'; code: number; reason: string };

export type LiveEvent = ServerEvent | CloseEvent;
export type LiveEventType = LiveEvent['type'];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;
