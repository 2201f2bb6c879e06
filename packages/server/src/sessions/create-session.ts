/** @module `POST /v1/sessions`: the three create shapes (seed avatar_id, current avatar, agent). */
import type { CreateSessionBody, SessionType, UsageSnapshot } from '@agenthuman/protocol';
import { type AgentRow, newId, type SessionRow, type Store } from '@agenthuman/store';
import { type AvatarResolver, isImageInput, type ResolvedAvatar } from '../avatars/resolve-avatar.js';
import type { PlanTable } from '../config/plans.js';
import { AppError } from '../http/app-error.js';
import type { ProvisionedRoom, RoomProvisioner } from '../rooms/room-provisioner.js';
import {
  assertCanStart,
  expirationFor,
  planOf,
  readAccountUsage,
  usageSnapshot,
} from '../usage/account-usage.js';
import { callbackSecret } from '../webhooks/webhook-secret.js';
import type { SessionLifecycle } from './session-lifecycle.js';
import { generateSessionToken, hashSessionToken } from './session-token.js';

export type CreateSessionDeps = {
  store: Store;
  plans: PlanTable;
  avatars: AvatarResolver;
  rooms: RoomProvisioner;
  /** Told when the session starts at create (shapes 2 and 3), so its media starts. */
  lifecycle?: Pick<SessionLifecycle, 'started' | 'recordStarted'>;
  /** Checks a `callback_url` against the outbound guard (private addresses need the operator's allow list). */
  webhooks?: { checkUrl(url: string, field: string): Promise<void> };
  /** Live media capacity of this process: a session that starts now needs a free slot (else 503). */
  live?: { hasCapacity(): boolean };
};

export type CreatedSession = {
  row: SessionRow;
  token: string;
  createOnlyRoom: ProvisionedRoom['createOnly'];
  usage: UsageSnapshot;
  message: string;
};

const SHAPE_FIELDS = ['avatar_id', 'avatar', 'agent_id'] as const;

export async function createSession(
  deps: CreateSessionDeps,
  accountId: string,
  body: CreateSessionBody,
  now = new Date(),
): Promise<CreatedSession> {
  const given = SHAPE_FIELDS.filter((field) => body[field] !== undefined);
  if (given.length === 0) {
    throw new AppError('VALIDATION_ERROR', 'Avatar ID is required', {
      suggestion:
        'Include avatar (an avatar id, image URL or base64 image), avatar_id or agent_id in the request body',
      details: { field: 'avatar' },
    });
  }
  if (given.length > 1) {
    throw new AppError(
      'VALIDATION_ERROR',
      `Give exactly one of avatar_id, avatar or agent_id (got ${given.join(', ')})`,
      {
        details: { field: given.join(','), fields: given },
      },
    );
  }
  if (body.room?.platform === 'daily') throw dailyNotSupported();
  if (body.callback_url !== undefined) {
    // A caller without the check (none today) must not store an unchecked URL.
    if (!deps.webhooks) throw new Error('createSession: callback_url needs deps.webhooks');
    await deps.webhooks.checkUrl(body.callback_url, 'callback_url');
  }
  const account = await deps.store.accounts.findById(accountId);
  if (!account) throw new AppError('INVALID_API_KEY', 'Invalid API key');
  const plan = planOf(deps.plans, account);
  const sessionId = newId('sess');

  let avatar: ResolvedAvatar | null = null;
  let agent: AgentRow | undefined;
  let sessionType: SessionType = 'webrtc_video';
  let startsNow = true;
  if (body.agent_id !== undefined) {
    agent = await findAgent(deps.store, accountId, body.agent_id);
    sessionType = !body.session_type || body.session_type === 'voice' ? 'agent_voice' : body.session_type;
    avatar = agent.avatarId
      ? await deps.avatars.resolveId(accountId, agent.avatarId).catch(() => null)
      : null;
  } else if (body.avatar_id !== undefined) {
    avatar = await deps.avatars.resolveId(accountId, body.avatar_id);
    // The seed shape waits for a start call; with a room it is the Generation C shape, started at once.
    startsNow = body.room !== undefined;
  } else if (body.avatar !== undefined) {
    // Running the face pipeline is costly: refuse over-limit callers before it.
    if (isImageInput(body.avatar))
      assertCanStart(await readAccountUsage(deps.store, account, deps.plans, now));
    avatar = await deps.avatars.resolveInput(accountId, plan, body.avatar);
  }

  if (body.record && sessionType === 'agent_chat') {
    throw new AppError('VALIDATION_ERROR', 'agent_chat sessions have no audio or video to record', {
      suggestion: 'Leave record out, or use session_type agent_video or agent_voice',
      details: { field: 'record' },
    });
  }
  // An agent's setting applies to its sessions unless the create says otherwise; chat has nothing to record.
  const record = sessionType !== 'agent_chat' && (body.record ?? agent?.record ?? false);
  if (startsNow && sessionType !== 'agent_chat' && deps.live && !deps.live.hasCapacity()) {
    throw noCapacity();
  }
  const room = await provisionRoom(deps.rooms, sessionId, body.room, sessionType, now);
  const token = generateSessionToken();

  const created = await deps.store
    .transaction(async (repos) => {
      const locked = (await repos.accounts.lock(accountId)) ?? account;
      const usage = await readAccountUsage(repos, locked, deps.plans, now);
      assertCanStart(usage);
      const row = await repos.sessions.insert({
        id: sessionId,
        accountId,
        avatarId: avatar?.avatarId ?? null,
        avatarName: avatar?.name ?? null,
        agentId: agent?.id ?? null,
        sessionType,
        aspectRatio: body.aspect_ratio ?? '4:3',
        metadata: body.metadata ?? {},
        tokenHash: hashSessionToken(token),
        room: room?.stored ?? null,
        createShape: given[0],
        record,
        createdAt: now,
        startedAt: startsNow ? now : null,
        expiration: startsNow ? expirationFor(now, usage) : null,
      });
      if (body.callback_url !== undefined) {
        await repos.webhooks.createEndpoint({
          id: newId('whk'),
          accountId,
          sessionId,
          url: body.callback_url,
          secret: await callbackSecret(repos, accountId),
        });
      }
      if (row.startedAt) await deps.lifecycle?.recordStarted(repos, row);
      return {
        row,
        token,
        createOnlyRoom: room?.createOnly,
        usage: usageSnapshot(usage, startsNow ? 1 : 0),
        message: agent ? 'Session started successfully' : 'Session created successfully',
      };
    })
    .catch(async (error: unknown) => {
      // A LiveKit room made for a session that was then refused (limits) must not linger on the server.
      if (room) await deps.rooms.release(room.stored).catch(() => undefined);
      throw error;
    });
  if (created.row.startedAt) deps.lifecycle?.started(created.row);
  return created;
}

export const dailyNotSupported = () =>
  new AppError('DAILY_NOT_SUPPORTED', 'Daily rooms are not supported by this server yet', {
    suggestion:
      'Use {"platform":"livekit","url","token"} for your own LiveKit room, {"platform":"proxy"} for a LiveKit ' +
      'room made for you, or leave room out for the built-in room',
    details: { field: 'room.platform' },
  });

export const noCapacity = () =>
  new AppError('NO_CAPACITY', 'No avatar capacity is free on this server right now', {
    suggestion: 'Retry in a few seconds, or end sessions you no longer need',
  });

async function findAgent(store: Store, accountId: string, agentId: string | number): Promise<AgentRow> {
  const seq = typeof agentId === 'number' ? agentId : /^\d+$/.test(agentId) ? Number(agentId) : undefined;
  const agent =
    seq !== undefined
      ? await store.agents.findBySeqForAccount(accountId, seq)
      : await store.agents.findForAccount(accountId, agentId as string);
  if (!agent) {
    throw new AppError('AGENT_NOT_FOUND', 'Agent not found', {
      suggestion: 'Check the agent_id; agents of other accounts are not visible',
      details: { field: 'agent_id' },
    });
  }
  return agent;
}

async function provisionRoom(
  rooms: RoomProvisioner,
  sessionId: string,
  input: CreateSessionBody['room'],
  sessionType: SessionType,
  now: Date,
): Promise<ProvisionedRoom | undefined> {
  if (!input) {
    if (sessionType === 'agent_chat') return undefined;
    return rooms.platform(sessionId, { agent: sessionType !== 'webrtc_video' }, now.getTime());
  }
  if (input.platform === 'proxy') return rooms.proxy(sessionId);
  if (input.platform === 'daily') throw dailyNotSupported();
  return {
    stored: {
      kind: 'customer',
      platform: input.platform,
      url: input.url,
      token: input.token,
      ...(input.display_name !== undefined && { displayName: input.display_name }),
    },
  };
}
