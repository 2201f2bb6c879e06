/** @module `/v1/agents` records (create, list, get); editing and the conversation runtime come with the agents work. */
import { AgentIdParams, AgentReply, CreateAgentBody, ListAgentsReply } from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { toAgentView } from './agent-view.js';
import { createAgent } from './create-agent.js';

const tags = ['Agents'];

export const agentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/agents',
      { schema: { tags, summary: 'Create an agent', body: CreateAgentBody, response: { 200: AgentReply } } },
      async (request) => {
        const row = await createAgent(deps, callerOf(request).accountId, request.body);
        return { success: true as const, agent: toAgentView(row) };
      },
    );

    app.get(
      '/v1/agents',
      { schema: { tags, summary: 'List agents, newest first', response: { 200: ListAgentsReply } } },
      async (request) => {
        const rows = await deps.store.agents.list(callerOf(request).accountId);
        return { success: true as const, agents: rows.map(toAgentView) };
      },
    );

    app.get(
      '/v1/agents/:agent_id',
      { schema: { tags, summary: 'Get an agent', params: AgentIdParams, response: { 200: AgentReply } } },
      async (request) => {
        const row = await deps.store.agents.findForAccount(
          callerOf(request).accountId,
          request.params.agent_id,
        );
        if (!row) throw new AppError('AGENT_NOT_FOUND', 'Agent not found');
        return { success: true as const, agent: toAgentView(row) };
      },
    );
  };
