/**
 * @module Opens a session's live channel for `say`, `play` and `attach`: finds the streaming token (flag, or
 * the one saved by `sessions create`), connects, and after speaking waits for the avatar to finish before
 * closing. Closing the last command socket lets the server end the session a few seconds later (the vendor's
 * rule, kept on purpose): one-shot commands say so, and `attach` holds the socket for as long as it runs.
 */
import { type AgentHuman, AgentHumanError, type LiveSession } from '@agenthuman/sdk';
import { findSessionToken } from './session-tokens.js';
import { err } from './terminal/style.js';

export async function openLive(client: AgentHuman, sessionId: string, token: string | undefined) {
  const sessionToken = token ?? findSessionToken(sessionId);
  if (!sessionToken) {
    throw new AgentHumanError({
      status: 401,
      code: 'SESSION_TOKEN_REQUIRED',
      message: `No streaming token for ${sessionId} on this machine (the API shows it only when the session is created)`,
      suggestion:
        'Create the session with "agenthuman sessions create", and keep it talking with "agenthuman attach"',
    });
  }
  return client.sessions.connect(sessionId, sessionToken);
}

/**
 * Resolves once the speech queued so far has played: on `avatar.speaking.stopped` once nothing more is due,
 * or after the queued audio's length plus a margin if no event says so; at once if the socket closes.
 */
export function waitForSpeechEnd(live: LiveSession, audioMs: number): Promise<void> {
  const dueAt = Date.now() + audioMs;
  return new Promise((resolve) => {
    const timer = setTimeout(done, audioMs + 3000);
    // A stop before the queued audio could have played is a gap between two queued segments.
    const offStopped = live.on('avatar.speaking.stopped', (event) => {
      if (event.interrupted || Date.now() >= dueAt - 500) done();
    });
    const offClose = live.on('close', done);
    function done() {
      clearTimeout(timer);
      offStopped();
      offClose();
      resolve();
    }
  });
}

/** Remembers how the server ended the session, so a failure that follows can say so instead of "closed". */
export function watchEnd(live: LiveSession): {
  readonly reason: string | undefined;
  error(): AgentHumanError;
} {
  let reason: string | undefined;
  let replaced = false;
  live.on('session.ended', (event) => {
    reason = event.reason;
  });
  live.on('session.replaced', () => {
    replaced = true;
  });
  return {
    get reason() {
      return replaced ? 'replaced' : reason;
    },
    error: () =>
      replaced
        ? new AgentHumanError({
            status: 0,
            code: 'SESSION_REPLACED',
            message: `Another client opened the command socket of ${live.sessionId}`,
          })
        : new AgentHumanError({
            status: 0,
            code: 'SESSION_ENDED',
            message: `Session ${live.sessionId} has ended${reason ? ` (${reason})` : ''}`,
          }),
  };
}

/** The line `say`, `play` and `attach` print at the end: the session does not outlive the command by much. */
export function printSessionEndsNote(sessionId: string, { attached = false } = {}): void {
  const ends = `${sessionId} ends a few seconds (5 s by default) after this command disconnects, unless a client reconnects`;
  console.error(
    err.dim(
      attached
        ? `detached: ${ends}`
        : `note: ${ends}; to keep it talking, run "agenthuman attach ${sessionId}" and type lines`,
    ),
  );
}
