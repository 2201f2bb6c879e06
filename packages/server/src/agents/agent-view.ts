/** @module An agent record as the v1 API shows it (no secrets: provider keys are never part of an agent). */
import type { Agent } from '@agenthuman/protocol';
import type { AgentRow } from '@agenthuman/store';

export const toAgentView = (row: AgentRow): Agent => ({
  agent_id: row.id,
  name: row.name,
  avatar_id: row.avatarId,
  avatar_image_url: row.avatarImageUrl,
  language: row.language,
  custom_greeting: row.customGreeting,
  context: row.context,
  voice_id: row.voiceId,
  knowledge: row.knowledge,
  llm: row.llm ?? { provider: 'builtin' },
  voice_agent: row.voiceAgent,
  record: row.record,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
