/**
 * @module The events the server's own domains publish, each inside the transaction of the change it reports:
 * session start (create / start), session end (SessionLifecycle.end) with the agent transcript, avatar ready or
 * refused (the upload pipeline). Payloads reuse the API's views, so they read like the REST answers.
 */
import type { Avatar, EndReason, Session, WebhookSession } from '@agenthuman/protocol';
import type { AvatarRow, Repositories, SessionRow } from '@agenthuman/store';
import { toMessageView } from '../conversations/message-view.js';
import { durationSeconds } from '../sessions/session-view.js';
import { publishEvent } from './publish-event.js';

export type DomainEvents = ReturnType<typeof createDomainEvents>;

type Repos = Pick<Repositories, 'webhooks' | 'messages'>;

export function createDomainEvents(views: {
  session: (row: SessionRow, now: Date) => Session;
  avatar: (row: AvatarRow) => Avatar;
}) {
  const sessionView = (row: SessionRow, now: Date): WebhookSession => {
    const { room: _room, access_token: _a, session_token: _s, ws_uri: _w, ...rest } = views.session(row, now);
    return rest;
  };

  return {
    async sessionStarted(repos: Repos, row: SessionRow): Promise<void> {
      const at = row.startedAt ?? new Date();
      await publishEvent(repos, {
        type: 'session.started',
        data: { session: sessionView(row, at) },
        accountId: row.accountId,
        sessionId: row.id,
        at,
      });
    },

    /** session.ended, and transcript.ready for agent sessions (the transcript is complete once it ended). */
    async sessionEnded(repos: Repos, row: SessionRow): Promise<void> {
      const at = row.endedAt ?? new Date();
      const session = sessionView(row, at);
      await publishEvent(repos, {
        type: 'session.ended',
        data: {
          session,
          end_reason: (row.endReason ?? 'client') as EndReason,
          end_detail: row.endDetail ?? null,
          duration: durationSeconds(row) ?? 0,
          billing: session.billing ?? {
            minutes_charged: 0,
            included_minutes_used: 0,
            purchased_minutes_used: 0,
          },
        },
        accountId: row.accountId,
        sessionId: row.id,
        at,
      });
      const agentId = row.agentId;
      if (!agentId) return;
      await publishEvent(repos, {
        type: 'transcript.ready',
        data: async () => ({
          session_id: row.id,
          agent_id: agentId,
          messages: (await repos.messages.listForSession(row.id)).map(toMessageView),
        }),
        accountId: row.accountId,
        sessionId: row.id,
        at,
      });
    },

    async avatarReady(repos: Repos, row: AvatarRow): Promise<void> {
      await publishEvent(repos, {
        type: 'avatar.ready',
        data: { avatar: views.avatar(row) },
        accountId: row.accountId,
        at: row.createdAt,
      });
    },

    async avatarFailed(
      repos: Repos,
      failure: { accountId: string; code: string; message: string; field: string | null },
    ): Promise<void> {
      await publishEvent(repos, {
        type: 'avatar.failed',
        data: { code: failure.code, message: failure.message, field: failure.field },
        accountId: failure.accountId,
      });
    },
  };
}
