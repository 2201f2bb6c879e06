/** @module Exit codes scripts can rely on (printed by `agenthuman --help` and documented in the README). */
import { AgentHumanError } from '@agenthuman/sdk';

export const EXIT = {
  OK: 0,
  /** The API refused the request or something failed at run time. */
  ERROR: 1,
  /** Bad command line: unknown command or flag, missing argument. */
  USAGE: 2,
  /** No key, a wrong or deactivated key, or not allowed (401/403). */
  AUTH: 3,
  /** The session, avatar, agent, link or key does not exist (404). */
  NOT_FOUND: 4,
  /** Wrong state for that action, e.g. ending a session that never started (409), or a session that ended. */
  CONFLICT: 5,
  /** A limit: rate limit, concurrency, minutes (402/429). */
  LIMIT: 6,
  /** The server could not be reached or did not answer in time. */
  UNREACHABLE: 7,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0  success
  1  API or runtime error
  2  usage error (unknown command or flag, missing argument)
  3  authentication or permission error (401/403)
  4  not found (404)
  5  conflict: wrong state for the action (409), e.g. the session has ended
  6  limit reached: rate limit, concurrency or minutes (402/429)
  7  server unreachable or timed out`;

/** WebSocket refusals carry no HTTP status: these codes are a session in the wrong state. */
const WRONG_STATE = new Set(['SESSION_ENDED', 'SESSION_NOT_STARTED', 'SESSION_REPLACED']);

/** What to do next, for errors whose message alone does not say it. */
export const HINTS: Record<string, string> = {
  SESSION_ENDED:
    'A session ends a few seconds (5 s by default) after its last command socket closes, when it expires, or ' +
    'when ended. Create a new one with "agenthuman sessions create", and keep it talking between commands ' +
    'with "agenthuman attach <session_id>"',
  SESSION_NOT_STARTED:
    'Start it first: PUT /v1/sessions/{id}/start (sessions made with "avatar" start at once)',
  SESSION_REPLACED:
    'Another client connected to this session (one command socket per session): close it, or attach again',
};

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof AgentHumanError)) return EXIT.ERROR;
  if (WRONG_STATE.has(error.code)) return EXIT.CONFLICT;
  if (error.code === 'CONNECTION_ERROR' || error.code === 'TIMEOUT') return EXIT.UNREACHABLE;
  if (error.status === 401 || error.status === 403) return EXIT.AUTH;
  if (error.status === 404) return EXIT.NOT_FOUND;
  if (error.status === 409) return EXIT.CONFLICT;
  if (error.status === 402 || error.status === 429) return EXIT.LIMIT;
  return EXIT.ERROR;
}
