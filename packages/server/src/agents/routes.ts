/** @module `/v1/agents` CRUD. */
import {
  AgentIdParams,
  AgentReply,
  CreateAgentBody,
  DeleteAgentReply,
  ListAgentsReply,
  UpdateAgentBody,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { callerOf } from '../http/caller.js';
import { toAgentView } from './agent-view.js';
import { createAgent } from './create-agent.js';
import { agentNotFound, updateAgent } from './update-agent.js';

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
        if (!row) throw agentNotFound();
        return { success: true as const, agent: toAgentView(row) };
      },
    );

    app.put(
      '/v1/agents/:agent_id',
      {
        schema: {
          tags,
          summary: 'Update an agent (only the fields sent; voice_agent is merged)',
          description: 'Running sessions keep the agent as it was when they started.',
          params: AgentIdParams,
          body: UpdateAgentBody,
          response: { 200: AgentReply },
        },
      },
      async (request) => {
        const row = await updateAgent(
          deps,
          callerOf(request).accountId,
          request.params.agent_id,
          request.body,
        );
        return { success: true as const, agent: toAgentView(row) };
      },
    );

    app.delete(
      '/v1/agents/:agent_id',
      {
        schema: {
          tags,
          summary: 'Delete an agent and its links',
          description: 'Its links stop working at once; its running sessions keep going until they end.',
          params: AgentIdParams,
          response: { 200: DeleteAgentReply },
        },
      },
      async (request) => {
        const deleted = await deps.store.agents.delete(callerOf(request).accountId, request.params.agent_id);
        if (!deleted) throw agentNotFound();
        return { success: true as const, message: 'Agent deleted successfully' };
      },
    );
  };
