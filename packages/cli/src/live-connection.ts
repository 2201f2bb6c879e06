/**
 * @module Opens a session's live channel for `say` and `play`: finds the streaming token (flag, or the one saved
 * by `sessions create`), connects, and after speaking waits for the avatar to finish before closing — closing
 * the last socket lets the server end the session 5 s later, so commands hold it open until speech is done.
 */
import { type AgentHuman, AgentHumanError, type LiveSession } from '@agenthuman/sdk';
import { findSessionToken } from './session-tokens.js';

export async function openLive(client: AgentHuman, sessionId: string, token: string | undefined) {
  const sessionToken = token ?? findSessionToken(sessionId);
  if (!sessionToken) {
    throw new AgentHumanError({
      status: 401,
      code: 'SESSION_TOKEN_REQUIRED',
      message: `No streaming token for ${sessionId} on this machine (the API shows it only when the session is created)`,
      suggestion:
        'Create the session with "agenthuman sessions create" (it keeps the token), or pass --token',
    });
  }
  return client.sessions.connect(sessionId, sessionToken);
}

/** Resolves when the avatar stops speaking, or after the audio's length plus a margin if no event says so. */
export function waitForSpeechEnd(live: LiveSession, audioMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, audioMs + 3000);
    const offStopped = live.on('avatar.speaking.stopped', done);
    const offClose = live.on('close', done);
    function done() {
      clearTimeout(timer);
      offStopped();
      offClose();
      resolve();
    }
  });
}
