/**
 * @module `POST/GET /v1/sessions/{id}/messages`. Callers authenticate with the API key, or, like the page a
 * link opened, with the session's own token in `x-session-token` (it can reach only that session).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { SendMessageBody, SendMessageReply, SessionIdParams, TranscriptReply } from '@agenthuman/protocol';
import type { SessionRow } from '@agenthuman/store';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError, sessionNotFound } from '../http/app-error.js';
import { hashSessionToken } from '../sessions/session-token.js';
import { MessageStream, wantsEventStream } from './message-stream.js';
import { toMessageView } from './message-view.js';
import { messageText, sendMessage } from './send-message.js';

const tags = ['Sessions'];
const SESSION_TOKEN_HEADER = 'x-session-token';

const sameHash = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
};

export const sessionTokenOf = (request: FastifyRequest): string | undefined => {
  const token = request.headers[SESSION_TOKEN_HEADER];
  return typeof token === 'string' && token.length > 0 ? token : undefined;
};

export const conversationRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (!(await deps.rateLimiter.admit(request, reply))) return reply;
      if (sessionTokenOf(request) && !request.headers['x-api-key']) return;
      request.caller = await deps.auth.authenticate(request);
    });

    async function findSession(request: FastifyRequest, sessionId: string): Promise<SessionRow> {
      if (request.caller) {
        const row = await deps.store.sessions.findForAccount(request.caller.accountId, sessionId);
        if (!row) throw sessionNotFound();
        return row;
      }
      const token = sessionTokenOf(request)!;
      const row = await deps.store.sessions.findById(sessionId);
      // A token of another session reads exactly like an unknown session id.
      if (!row || !sameHash(hashSessionToken(token), row.tokenHash)) throw sessionNotFound();
      return row;
    }

    app.post(
      '/v1/sessions/:session_id/messages',
      {
        schema: {
          tags,
          summary: 'Send a message to an agent session and get its reply',
          description:
            'The reply is stored in the transcript and, for agent_voice / agent_video sessions, spoken by the ' +
            'avatar as it is generated. With `Accept: text/event-stream` it streams as server-sent events: ' +
            '`message` (the user message), `text.delta` {delta}, `sentence` {index,text}, `tts.fallback` (the ' +
            "agent's voice failed; the built-in voice spoke), then `done` (this JSON body) or `error`. A message " +
            'sent while a reply is in progress interrupts that reply (its answer has `reply.interrupted: true` ' +
            'and `reply.unsaid_text`). Auth: `x-api-key`, or the session token in `x-session-token`.',
          params: SessionIdParams,
          body: SendMessageBody.optional(),
          response: { 200: SendMessageReply },
          security: [{ apiKey: [] }, { sessionToken: [] }],
        },
      },
      async (request, reply) => {
        const session = await findSession(request, request.params.session_id);
        const text = messageText(request.body);
        // Refuse (as JSON) before a stream opens.
        await deps.conversations.get(session);
        if (!wantsEventStream(request.headers.accept)) {
          return sendMessage(deps.conversations, session, text);
        }
        const stream = new MessageStream(reply);
        try {
          stream.done(await sendMessage(deps.conversations, session, text, (e) => stream.forward(e)));
        } catch (error) {
          if (!(error instanceof AppError)) request.log.error({ err: error }, 'streamed reply failed');
          stream.fail(error);
        }
        return reply;
      },
    );

    app.get(
      '/v1/sessions/:session_id/messages',
      {
        schema: {
          tags,
          summary: 'The transcript of an agent session, oldest first',
          params: SessionIdParams,
          response: { 200: TranscriptReply },
          security: [{ apiKey: [] }, { sessionToken: [] }],
        },
      },
      async (request) => {
        const session = await findSession(request, request.params.session_id);
        if (!session.agentId) {
          throw new AppError('NOT_AN_AGENT_SESSION', 'Transcripts exist only for agent sessions', {
            suggestion: 'Create the session with agent_id to talk to an agent',
          });
        }
        const rows = await deps.store.messages.listForSession(session.id);
        return { success: true as const, session_id: session.id, messages: rows.map(toMessageView) };
      },
    );
  };
