/**
 * @module A worker's internal endpoint (behind the internal secret, like every route of a worker):
 * `POST /internal/sessions/{id}/media` starts the session's media here. The API wrote this worker into
 * `sessions.media_owner` first; a session assigned elsewhere, ended or unknown is refused, so a late or
 * repeated call cannot run one session's media twice. `POST /internal/previews` starts a live preview's room
 * here (preview-relay.ts): it has no session row, the API remembers where it runs.
 */
import { LiveError } from '@agenthuman/engine/live';
import type { Store } from '@agenthuman/store';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ConversationRegistry } from '../conversations/conversation-registry.js';
import type { LiveSessions } from '../live/live-sessions.js';

const PreviewBody = z.object({ avatar_id: z.string().min(1).max(200), name: z.string().max(500) });

export function workerRoutes(deps: {
  store: Store;
  live: LiveSessions;
  conversations: ConversationRegistry;
  workerId: string;
  /** Rewrites this worker's registry entry (its load just changed). */
  beat: () => void;
}): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { id: string } }>(
      '/internal/sessions/:id/media',
      { schema: { hide: true } },
      async (request, reply) => {
        const row = await deps.store.sessions.findById(request.params.id);
        if (!row?.startedAt || row.endedAt || row.mediaOwner !== deps.workerId) {
          return reply
            .code(409)
            .send({ success: false, error: { message: 'Not assigned here', code: 'NOT_ASSIGNED' } });
        }
        try {
          const started = deps.live.ensure(row);
          deps.beat();
          await started;
        } catch (error) {
          if (error instanceof LiveError && error.code === 'NO_CAPACITY') {
            return reply
              .code(503)
              .send({ success: false, error: { message: error.message, code: 'NO_CAPACITY' } });
          }
          throw error;
        }
        // An agent session's conversation lives where its media does (its voice plays into this avatar).
        if (row.agentId) void deps.conversations.open(row);
        return { ok: true };
      },
    );

    app.post('/internal/previews', { schema: { hide: true } }, async (request, reply) => {
      const body = PreviewBody.safeParse(request.body);
      if (!body.success) {
        return reply.code(400).send({
          success: false,
          error: { message: 'avatar_id and name required', code: 'VALIDATION_ERROR' },
        });
      }
      if (!deps.live.hasCapacity()) {
        return reply
          .code(503)
          .send({ success: false, error: { message: 'No free slot', code: 'NO_CAPACITY' } });
      }
      const preview = await deps.live.startPreview({ avatarId: body.data.avatar_id, name: body.data.name });
      deps.beat();
      return preview;
    });
  };
}
