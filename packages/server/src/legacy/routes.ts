/** @module The legacy agent API (`/api/v1`, seed 002) over the same use cases as `/v1`. */
import {
  LegacyAgentReply,
  LegacyCreateAgentBody,
  LegacyCreateSessionBody,
  LegacyEndSessionBody,
  LegacyIdParams,
  LegacyListAgentsReply,
  LegacyListSessionsQuery,
  LegacyListSessionsReply,
  LegacySessionReply,
  SendMessageBody,
  SendMessageReply,
  type SessionType,
} from '@agenthuman/protocol';
import type { SessionStatusFilter } from '@agenthuman/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { messageText, sendMessage } from '../conversations/send-message.js';
import { AppError, isAppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { createSession } from '../sessions/create-session.js';
import { endSession } from '../sessions/end-session.js';
import { loadLegacyContext, toLegacyAgent, toLegacySession } from './legacy-views.js';

const LEGACY_LIST_LIMIT = 500;
const STATUS: Record<string, SessionStatusFilter> = { all: 'all', active: 'started', completed: 'ended' };
const tags = ['Legacy /api/v1'];
const agentNotFound = () => new AppError('AGENT_NOT_FOUND', 'Agent not found or access denied');
const sessionNotFound = () => new AppError('SESSION_NOT_FOUND', 'Session not found or access denied');

export const legacyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, avatars } = deps;

    async function sessionReply(accountId: string, seq: number, message?: string) {
      const row = await store.sessions.findBySeqForAccount(accountId, seq);
      if (!row) throw sessionNotFound();
      const session = toLegacySession(row, await loadLegacyContext(store, [row]), avatars);
      return { success: true as const, session, ...(message !== undefined && { message }) };
    }

    app.post(
      '/api/v1/sessions',
      { schema: { tags, body: LegacyCreateSessionBody, response: { 200: LegacySessionReply } } },
      async (request) => {
        const { accountId } = callerOf(request);
        const { agent_id, session_type, metadata } = request.body;
        const created = await createSession(deps, accountId, {
          agent_id,
          ...(session_type !== undefined && { session_type: session_type as SessionType }),
          ...(metadata !== undefined && { metadata }),
        }).catch((error: unknown) => {
          throw isAppError(error) && error.code === 'AGENT_NOT_FOUND' ? agentNotFound() : error;
        });
        await deps.conversations.open(created.row);
        return sessionReply(accountId, created.row.seq, 'Session started successfully');
      },
    );

    app.get(
      '/api/v1/sessions',
      {
        schema: { tags, querystring: LegacyListSessionsQuery, response: { 200: LegacyListSessionsReply } },
      },
      async (request) => {
        const { accountId } = callerOf(request);
        const status = STATUS[request.query.status ?? 'all'] ?? 'all';
        let agentIds: string[] | undefined;
        if (request.query.agent_id !== undefined) {
          const agent = await store.agents.findBySeqForAccount(accountId, request.query.agent_id);
          if (!agent) throw agentNotFound();
          agentIds = [agent.id];
        }
        const rows = await store.sessions.list(accountId, {
          status,
          limit: LEGACY_LIST_LIMIT,
          ...(agentIds && { agentIds }),
        });
        const context = await loadLegacyContext(store, rows);
        return {
          success: true as const,
          sessions: rows.map((row) => toLegacySession(row, context, avatars)),
        };
      },
    );

    app.get(
      '/api/v1/sessions/:id',
      { schema: { tags, params: LegacyIdParams, response: { 200: LegacySessionReply } } },
      async (request) => sessionReply(callerOf(request).accountId, request.params.id),
    );

    app.put(
      '/api/v1/sessions/:id/end',
      {
        schema: {
          tags,
          params: LegacyIdParams,
          body: LegacyEndSessionBody,
          response: { 200: LegacySessionReply },
        },
      },
      async (request) => {
        const { accountId } = callerOf(request);
        const row = await store.sessions.findBySeqForAccount(accountId, request.params.id);
        if (!row) throw sessionNotFound();
        await endSession(deps, accountId, row.id);
        const body = request.body ?? {};
        await store.sessions.updateLegacyReport(row.id, {
          ...(body.transcript !== undefined && { transcript: body.transcript }),
          ...(body.duration !== undefined && { reportedDuration: body.duration }),
          ...(body.metadata !== undefined && { metadata: { ...row.metadata, ...body.metadata } }),
        });
        return sessionReply(accountId, row.seq, 'Session ended successfully');
      },
    );

    app.post(
      '/api/v1/sessions/:id/messages',
      {
        schema: {
          tags,
          params: LegacyIdParams,
          body: SendMessageBody.nullish(),
          response: { 200: SendMessageReply },
        },
      },
      async (request) => {
        const { accountId } = callerOf(request);
        const row = await store.sessions.findBySeqForAccount(accountId, request.params.id);
        if (!row) throw sessionNotFound();
        return sendMessage(deps.conversations, row, messageText(request.body ?? undefined));
      },
    );

    app.post(
      '/api/v1/agents',
      { schema: { tags, body: LegacyCreateAgentBody, response: { 200: LegacyAgentReply } } },
      async (request) => {
        const { accountId } = callerOf(request);
        const body = request.body;
        let avatarId: string | null = null;
        if (body.avatar_id !== undefined) {
          const avatar = await avatars.resolveLegacyId(accountId, body.avatar_id);
          if (!avatar) throw new AppError('AVATAR_NOT_FOUND', 'Avatar not found or access denied');
          avatarId = avatar.avatarId;
        }
        const row = await store.agents.create({
          accountId,
          name: body.name,
          avatarId,
          language: body.language ?? 'en',
          customGreeting: body.custom_greeting ?? null,
          context: body.context ?? null,
        });
        return agentReply(accountId, row.seq);
      },
    );

    app.get(
      '/api/v1/agents',
      { schema: { tags, response: { 200: LegacyListAgentsReply } } },
      async (request) => {
        const rows = await store.agents.list(callerOf(request).accountId, 'updated');
        const [stats, context] = await Promise.all([
          store.agents.stats(rows.map((r) => r.id)),
          loadLegacyContext(
            store,
            rows.map((r) => ({ avatarId: r.avatarId })),
          ),
        ]);
        return {
          success: true as const,
          agents: rows.map((r) => toLegacyAgent(r, stats.get(r.id), context, avatars)),
        };
      },
    );

    app.get(
      '/api/v1/agents/:id',
      { schema: { tags, params: LegacyIdParams, response: { 200: LegacyAgentReply } } },
      async (request) => agentReply(callerOf(request).accountId, request.params.id),
    );

    async function agentReply(accountId: string, seq: number) {
      const row = await store.agents.findBySeqForAccount(accountId, seq);
      if (!row) throw agentNotFound();
      const account = await store.accounts.findById(accountId);
      const [stats, context] = await Promise.all([
        store.agents.stats([row.id]),
        loadLegacyContext(store, [{ avatarId: row.avatarId }]),
      ]);
      return {
        success: true as const,
        agent: {
          ...toLegacyAgent(row, stats.get(row.id), context, avatars),
          user_id: account?.seq ?? 0,
          role_id: null,
          properties: {},
          memories: [],
          knowledge_base: row.knowledge,
        },
      };
    }
  };
