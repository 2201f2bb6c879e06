/** @module Stores an agent record; its avatar must be one the account may use, its `llm` one that can run. */

import type { CreateAgentBody } from '@agenthuman/protocol';
import type { AgentRow, Store } from '@agenthuman/store';
import type { AvatarResolver } from '../avatars/resolve-avatar.js';
import type { AgentProviders } from '../conversations/agent-providers.js';

export async function createAgent(
  deps: { store: Store; avatars: AvatarResolver; agentProviders: AgentProviders },
  accountId: string,
  body: CreateAgentBody,
): Promise<AgentRow> {
  deps.agentProviders.validateLlm(body.llm);
  await deps.agentProviders.checkLlmEndpoint(body.llm);
  const avatar = body.avatar_id ? await deps.avatars.resolveId(accountId, body.avatar_id) : undefined;
  return deps.store.agents.create({
    accountId,
    name: body.name,
    avatarId: avatar?.avatarId ?? null,
    avatarImageUrl: body.avatar_image_url ?? null,
    language: body.language ?? 'en',
    customGreeting: body.custom_greeting ?? null,
    context: body.context ?? null,
    voiceId: body.voice_id ?? null,
    knowledge: body.knowledge ?? null,
    llm: body.llm ?? null,
    voiceAgent: { provider: 'builtin', ...body.voice_agent },
    record: body.record ?? false,
  });
}
