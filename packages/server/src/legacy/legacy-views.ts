/** @module Sessions and agents as the legacy `/api/v1` dialect shows them: integer ids, active/completed. */
import type { SessionType } from '@agenthuman/protocol';
import type { AgentRow, AgentStats, MessageRow, SessionRow, Store } from '@agenthuman/store';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { AvatarResolver } from '../avatars/resolve-avatar.js';
import { toMessageView } from '../conversations/message-view.js';
import { durationSeconds, sessionStatus } from '../sessions/session-view.js';

const LEGACY_STATUS = { created: 'created', started: 'active', ended: 'completed' } as const;

/** Agents and legacy avatar ids the rows refer to, loaded once per reply. */
export type LegacyContext = {
  agents: Map<string, AgentRow>;
  avatarSeqs: Map<string, number>;
  /** The server's transcripts of agent sessions. */
  transcripts: Map<string, MessageRow[]>;
};

export async function loadLegacyContext(
  store: Store,
  rows: { id?: string; agentId?: string | null; avatarId: string | null }[],
) {
  const agentIds = [...new Set(rows.map((r) => r.agentId).filter((id): id is string => Boolean(id)))];
  const agents = new Map((await store.agents.findByIds(agentIds)).map((a) => [a.id, a]));
  const avatarSeqs = new Map<string, number>();
  const avatarIds = new Set([...rows.map((r) => r.avatarId), ...[...agents.values()].map((a) => a.avatarId)]);
  for (const id of avatarIds) {
    if (!id) continue;
    const publicAvatar = findPublicAvatar(id);
    const seq = publicAvatar ? publicAvatar.legacyId : (await store.avatars.findById(id))?.seq;
    if (seq !== undefined) avatarSeqs.set(id, seq);
  }
  const agentSessions = rows.filter((r) => r.agentId && r.id).map((r) => r.id!);
  const transcripts = await store.messages.listForSessions(agentSessions);
  return { agents, avatarSeqs, transcripts } satisfies LegacyContext;
}

export function toLegacySession(row: SessionRow, context: LegacyContext, avatars: AvatarResolver) {
  const agent = row.agentId ? context.agents.get(row.agentId) : undefined;
  const avatar = avatars.view(row.avatarId, row.avatarName);
  return {
    session_id: row.seq,
    agent_id: agent?.seq ?? null,
    agent_name: agent?.name ?? null,
    session_type: row.sessionType as SessionType,
    status: LEGACY_STATUS[sessionStatus(row)],
    started_at: row.startedAt?.toISOString() ?? null,
    metadata: row.metadata,
    avatar_id: row.avatarId ? (context.avatarSeqs.get(row.avatarId) ?? null) : null,
    avatar_name: avatar?.name ?? null,
    avatar_url: avatar?.url ?? null,
    voice_id: agent?.voiceId ?? null,
    transcript: legacyTranscript(row, context),
    language: agent?.language ?? null,
    duration: row.reportedDuration ?? durationSeconds(row),
    ended_at: row.endedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function toLegacyAgent(
  row: AgentRow,
  stats: AgentStats | undefined,
  context: LegacyContext,
  avatars: AvatarResolver,
) {
  const avatar = avatars.view(row.avatarId, null);
  return {
    agent_id: row.seq,
    name: row.name,
    avatar_id: row.avatarId ? (context.avatarSeqs.get(row.avatarId) ?? null) : null,
    language: row.language,
    custom_greeting: row.customGreeting,
    context: row.context,
    status: 'active' as const,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    last_used_at: stats?.lastUsedAt?.toISOString() ?? null,
    total_sessions: stats?.totalSessions ?? 0,
    avg_duration: stats?.avgDuration ?? null,
    avatar_name: avatar?.name ?? null,
    avatar_url: avatar?.url ?? null,
    voice_id: row.voiceId,
  };
}

/** What the client reported at the end, if it did; otherwise the transcript the server kept (or null). */
function legacyTranscript(row: SessionRow, context: LegacyContext): unknown {
  if (row.transcript !== null && row.transcript !== undefined) return row.transcript;
  const messages = context.transcripts.get(row.id);
  return messages?.length ? messages.map(toMessageView) : null;
}
