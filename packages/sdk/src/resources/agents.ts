/** @module `/v1/agents`: conversational agents (an avatar, a voice, a prompt, an LLM). */
import type { HttpClient } from '../http-client.js';
import type { Agent, CreateAgentBody, UpdateAgentBody } from '../types.js';

export class AgentsResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  async create(body: CreateAgentBody): Promise<Agent> {
    return (await this.#http.request<{ agent: Agent }>({ method: 'POST', path: '/v1/agents', body })).agent;
  }

  async list(): Promise<Agent[]> {
    return (await this.#http.request<{ agents: Agent[] }>({ method: 'GET', path: '/v1/agents' })).agents;
  }

  async get(agentId: string): Promise<Agent> {
    const path = `/v1/agents/${encodeURIComponent(agentId)}`;
    return (await this.#http.request<{ agent: Agent }>({ method: 'GET', path })).agent;
  }

  /** Partial update: only the given fields change; `voice_agent` merges. */
  async update(agentId: string, body: UpdateAgentBody): Promise<Agent> {
    const path = `/v1/agents/${encodeURIComponent(agentId)}`;
    return (await this.#http.request<{ agent: Agent }>({ method: 'PUT', path, body })).agent;
  }

  async delete(agentId: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/v1/agents/${encodeURIComponent(agentId)}` });
  }
}
