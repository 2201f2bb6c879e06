/**
 * @module `session.init` → the session it opens, or the wire error that refuses it. Both forms: current
 * `{session_id, session_token}` and legacy `{config:{session_id, access_token, room?, video_width?,
 * video_height?}}`. Everything about the media was fixed at create; a legacy `room` or video size is checked
 * (the documented errors) but does not change the session.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SessionInit } from '@agenthuman/protocol';
import type { SessionRow, Store } from '@agenthuman/store';
import { hashSessionToken } from '../../sessions/session-token.js';
import type { WireError } from './read-frame.js';

/** Platforms a legacy init may name: `daily` (the docs) and our own built-in room. */
const LEGACY_PLATFORMS = new Set(['daily', 'builtin']);

export async function authenticateInit(
  store: Store,
  init: SessionInit,
): Promise<{ session: SessionRow } | WireError> {
  let sessionId: string;
  let token: string;
  if ('config' in init) {
    const { config } = init;
    if (config.room && !LEGACY_PLATFORMS.has(config.room.platform)) {
      return { code: 'INVALID_ROOM_PLATFORM', error: 'Invalid room platform', field: 'config.room.platform' };
    }
    for (const field of ['video_width', 'video_height'] as const) {
      const value = config[field];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        return {
          code: 'INVALID_VIDEO_DIMENSIONS',
          error: 'Invalid video dimensions',
          field: `config.${field}`,
        };
      }
    }
    sessionId = config.session_id;
    token = config.access_token;
  } else {
    sessionId = init.session_id;
    token = init.session_token;
  }
  const session = await store.sessions.findById(sessionId);
  if (!session) return { code: 'SESSION_NOT_FOUND', error: 'Session not found', field: 'session_id' };
  const expected = Buffer.from(session.tokenHash, 'hex');
  const given = Buffer.from(hashSessionToken(token), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { code: 'INVALID_CREDENTIALS', error: 'Invalid session credentials', field: 'session_token' };
  }
  if (session.endedAt) return { code: 'SESSION_ENDED', error: 'Session has ended' };
  if (!session.startedAt) {
    return {
      code: 'SESSION_NOT_STARTED',
      error: 'Session has not been started: call POST /v1/sessions/{id}/start first',
    };
  }
  return { session };
}
