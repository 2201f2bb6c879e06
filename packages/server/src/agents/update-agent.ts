/**
 * @module `PUT /v1/agents/{id}`: only the fields sent change; null clears an optional one; `voice_agent` is
 * merged field by field. Sessions already running keep the agent as it was when they started.
 */
import type { UpdateAgentBody } from '@agenthuman/protocol';
import type { AgentRow, Store } from '@agenthuman/store';
import type { AvatarResolver } from '../avatars/resolve-avatar.js';
import type { AgentProviders } from '../conversations/agent-providers.js';
import { AppError } from '../http/app-error.js';

export const agentNotFound = () =>
  new AppError('AGENT_NOT_FOUND', 'Agent not found', {
    suggestion: 'Check the agent_id; agents of other accounts are not visible',
  });

export async function updateAgent(
  deps: { store: Store; avatars: AvatarResolver; agentProviders: AgentProviders },
  accountId: string,
  agentId: string,
  body: UpdateAgentBody,
): Promise<AgentRow> {
  const current = await deps.store.agents.findForAccount(accountId, agentId);
  if (!current) throw agentNotFound();
  if (body.llm) deps.agentProviders.validateLlm(body.llm);
  if (body.llm) await deps.agentProviders.checkLlmEndpoint(body.llm);
  let avatarId: string | null | undefined;
  if (body.avatar_id === null) avatarId = null;
  else if (body.avatar_id !== undefined)
    avatarId = (await deps.avatars.resolveId(accountId, body.avatar_id)).avatarId;
  const set = <T>(value: T | undefined, apply: (v: T) => void) => {
    if (value !== undefined) apply(value);
  };
  const changes: Parameters<Store['agents']['update']>[2] = {};
  set(body.name, (v) => (changes.name = v));
  set(avatarId, (v) => (changes.avatarId = v));
  set(body.avatar_image_url, (v) => (changes.avatarImageUrl = v));
  set(body.language, (v) => (changes.language = v));
  set(body.custom_greeting, (v) => (changes.customGreeting = v));
  set(body.context, (v) => (changes.context = v));
  set(body.voice_id, (v) => (changes.voiceId = v));
  set(body.knowledge, (v) => (changes.knowledge = v));
  set(body.llm, (v) => (changes.llm = v));
  set(body.record, (v) => (changes.record = v));
  if (body.voice_agent) {
    const patch = Object.fromEntries(Object.entries(body.voice_agent).filter(([, v]) => v !== undefined));
    changes.voiceAgent = { ...current.voiceAgent, ...patch };
  }
  const row = await deps.store.agents.update(accountId, agentId, changes);
  if (!row) throw agentNotFound();
  return row;
}
