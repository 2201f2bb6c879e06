/** @module `/v1/links` CRUD (API key) and `POST /v1/links/start-session` (public, per-IP rate limit). */

import { randomBytes } from 'node:crypto';
import {
  CreateLinkBody,
  LinkIdParams,
  LinkReply,
  ListLinksQuery,
  ListLinksReply,
  MessageReply,
  StartLinkSessionBody,
  StartLinkSessionReply,
  UpdateLinkBody,
} from '@agenthuman/protocol';
import type { AgentRow, LinkRow } from '@agenthuman/store';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { callerOf } from '../http/caller.js';
import { htmlPageHeaders } from '../http/html-page.js';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import { platformRoomView } from '../sessions/session-view.js';
import { renderLinkPage, renderLinkRefusal } from './link-page.js';
import { linkRefusal, linkStatus, toLinkView } from './link-view.js';
import { createLink, linkNotFound, updateLink } from './manage-links.js';
import { refusalError, startLinkSession } from './start-link-session.js';

const tags = ['Links'];

export const linkRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = deps;
    const publicUrl = deps.config.publicUrl;

    async function view(link: LinkRow, agent?: AgentRow) {
      const owner = agent ?? (await store.agents.findById(link.agentId));
      if (!owner) throw linkNotFound();
      return toLinkView(link, owner, publicUrl);
    }

    app.post(
      '/v1/links',
      {
        schema: {
          tags,
          summary: 'Create a link to an agent',
          body: CreateLinkBody,
          response: { 200: LinkReply },
        },
      },
      async (request) => {
        const link = await createLink(store, callerOf(request).accountId, request.body);
        return { success: true as const, link: await view(link) };
      },
    );

    app.get(
      '/v1/links',
      {
        schema: {
          tags,
          summary: 'List links, newest first',
          querystring: ListLinksQuery,
          response: { 200: ListLinksReply },
        },
      },
      async (request) => {
        const accountId = callerOf(request).accountId;
        const rows = await store.links.list(accountId);
        const agents = new Map(
          (await store.agents.findByIds([...new Set(rows.map((r) => r.agentId))])).map((a) => [a.id, a]),
        );
        const now = new Date();
        const wanted = request.query.status;
        const links = rows
          .filter((r) => agents.has(r.agentId) && (wanted === 'all' || linkStatus(r, now) === wanted))
          .map((r) => toLinkView(r, agents.get(r.agentId)!, publicUrl, now));
        return { success: true as const, links };
      },
    );

    app.get(
      '/v1/links/:link_id',
      { schema: { tags, summary: 'Get a link', params: LinkIdParams, response: { 200: LinkReply } } },
      async (request) => {
        const link = await store.links.findForAccount(callerOf(request).accountId, request.params.link_id);
        if (!link) throw linkNotFound();
        return { success: true as const, link: await view(link) };
      },
    );

    app.put(
      '/v1/links/:link_id',
      {
        schema: {
          tags,
          summary: 'Update a link (only the fields sent)',
          params: LinkIdParams,
          body: UpdateLinkBody,
          response: { 200: LinkReply },
        },
      },
      async (request) => {
        const link = await updateLink(
          store,
          callerOf(request).accountId,
          request.params.link_id,
          request.body,
        );
        return { success: true as const, link: await view(link) };
      },
    );

    app.delete(
      '/v1/links/:link_id',
      { schema: { tags, summary: 'Delete a link', params: LinkIdParams, response: { 200: MessageReply } } },
      async (request) => {
        if (!(await store.links.delete(callerOf(request).accountId, request.params.link_id)))
          throw linkNotFound();
        return { success: true as const, message: 'Link deleted successfully' };
      },
    );
  };

/** Outside the API-key scope: anyone with the link may start a session, limited per client IP. */
export const publicLinkRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/links/start-session',
      {
        schema: {
          tags,
          summary: 'Start a session through a link (no API key)',
          description:
            'Refusals: 404 LINK_NOT_FOUND, 403 LINK_PAUSED, 403 LINK_EXPIRED, 403 LINK_USE_LIMIT_REACHED; ' +
            '429 past the per-IP limit (AGENTHUMAN_LINK_START_RATE_LIMIT a minute). The session is billed to ' +
            'the link owner. `session_token` lets the page send messages (header x-session-token).',
          body: StartLinkSessionBody,
          response: { 200: StartLinkSessionReply },
          security: [],
        },
      },
      async (request, reply) => {
        if (!(await deps.linkStartLimiter.admit(request, reply))) return reply;
        const { session, token } = await startLinkSession(deps, {
          linkId: request.body.link_id,
          aspectRatio: request.body.aspect_ratio,
          sessionType: request.body.session_type,
        });
        const room = platformRoomView(session.room);
        return {
          success: true as const,
          session_id: session.id,
          session_type: session.sessionType,
          room: room ? { platform: room.platform, url: room.url, token: room.token } : null,
          session_token: token,
          ...(room?.platform === 'livekit' && {
            livekit_url: room.url,
            participant_token: room.token,
            agent_identity: AVATAR_IDENTITY,
          }),
        };
      },
    );

    app.get(
      '/s/:link_id',
      { schema: { hide: true, params: z.object({ link_id: z.string() }) } },
      async (request, reply) => {
        if (!(await deps.rateLimiter.admit(request, reply))) return reply;
        const nonce = randomBytes(16).toString('base64');
        htmlPageHeaders(
          reply,
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; ` +
            "frame-src 'self'; img-src 'self' data:",
        );
        const link = /^lnk_[0-9A-Za-z]{1,40}$/.test(request.params.link_id)
          ? await deps.store.links.findById(request.params.link_id)
          : undefined;
        const agent = link && (await deps.store.agents.findById(link.agentId));
        if (!link || !agent) return reply.code(404).send(renderLinkRefusal('This link does not exist.'));
        const refusal = linkRefusal(link, new Date());
        if (refusal) return reply.code(403).send(renderLinkRefusal(refusalError(refusal).message));
        return reply.send(renderLinkPage({ linkId: link.id, agentName: agent.name, nonce, liveRoom: true }));
      },
    );
  };
