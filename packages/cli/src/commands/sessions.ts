/** @module `agenthuman sessions create|list|get|end|delete`. */
import type { Session } from '@agenthuman/sdk';
import { defineGroup, UsageError } from '../command-kit.js';
import { saveSessionToken } from '../session-tokens.js';
import { formatDuration, formatTime, secondsSince } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderFields, renderTable } from '../terminal/table.js';

const STATUSES = ['all', 'created', 'started', 'ended', 'active'] as const;

const statusText = (s: Session) =>
  s.status === 'started' ? out.green('live') : s.status === 'created' ? out.yellow('created') : 'ended';

const durationOf = (s: Session) =>
  s.status === 'started' ? formatDuration(secondsSince(s.started_at)) : formatDuration(s.duration);

/** The link a person opens to watch: the built-in room page, or the LiveKit room page of the dashboard. */
function roomLink(s: Session, apiUrl: string): string | null {
  if (!s.room || !('url' in s.room)) return null;
  if (s.room.platform === 'livekit')
    return `${apiUrl}/watch#${new URLSearchParams({ url: s.room.url, token: s.room.token })}`;
  return `${s.room.url}?token=${s.room.token}`;
}

export function sessionFields(s: Session, apiUrl: string) {
  return renderFields([
    ['session', s.session_id],
    ['status', statusText(s)],
    ['avatar', s.avatar ? `${s.avatar.name} (${s.avatar.avatar_id})` : null],
    ['type', s.session_type],
    ['aspect ratio', s.aspect_ratio],
    ['created', s.created_at],
    ['started', s.started_at],
    ['ended', s.ended_at],
    ['expires', s.expiration],
    ['duration', durationOf(s) || null],
    ['end reason', s.end_reason],
    ['end detail', s.end_detail],
    [
      'billing',
      s.billing
        ? `${s.billing.minutes_charged} min (included ${s.billing.included_minutes_used}, purchased ${s.billing.purchased_minutes_used})`
        : null,
    ],
    ['room', roomLink(s, apiUrl)],
    ['metadata', Object.keys(s.metadata).length ? JSON.stringify(s.metadata) : null],
  ]);
}

export default defineGroup('sessions', 'create, list, inspect and end sessions', {
  create: {
    usage: '[--avatar ID | --agent ID] [--no-start] [--aspect-ratio 4:3|3:4|1:1] [--metadata JSON] [--json]',
    summary: 'create a session (started at once unless --no-start); prints its id and room link',
    details:
      'Examples:\n  agenthuman sessions create --avatar PUBLIC/Avatars/eileen\n  agenthuman sessions create --agent agnt_01J… --json\n\nThe streaming token is kept in the config dir so "say" and "play" can use the session.',
    json: true,
    options: {
      avatar: { type: 'string', description: 'avatar id (default PUBLIC/Avatars/eileen)' },
      agent: { type: 'string', description: 'agent id: an agent session instead of an avatar one' },
      'no-start': { type: 'boolean', description: 'only create it (status created); start later' },
      'aspect-ratio': { type: 'string', description: '4:3 (default), 3:4 or 1:1' },
      metadata: { type: 'string', description: 'a JSON object stored with the session' },
    },
    async run({ values, json, client, print, printJson }) {
      let metadata: Record<string, unknown> | undefined;
      if (typeof values.metadata === 'string') {
        try {
          metadata = JSON.parse(values.metadata) as Record<string, unknown>;
        } catch {
          throw new UsageError('--metadata must be a JSON object, e.g. \'{"user":"42"}\'');
        }
      }
      const avatar = (values.avatar as string | undefined) ?? 'PUBLIC/Avatars/eileen';
      const common = {
        ...(values['aspect-ratio'] !== undefined && { aspect_ratio: values['aspect-ratio'] as '4:3' }),
        ...(metadata && { metadata }),
      };
      const body =
        typeof values.agent === 'string'
          ? { agent_id: values.agent, ...common }
          : values['no-start']
            ? { avatar_id: avatar, ...common }
            : { avatar, ...common };
      const api = client();
      const reply = await api.sessions.create(body);
      if (reply.session.session_token)
        saveSessionToken(reply.session.session_id, reply.session.session_token);
      if (json) return printJson(reply);
      print(`${out.green('✓')} session ${out.bold(reply.session.session_id)} ${reply.session.status}\n`);
      print(sessionFields(reply.session, api.baseUrl));
      print(
        `\n${out.dim('Next:')} agenthuman say --session ${reply.session.session_id} "Hello there"` +
          `\n${out.dim('  or:')} agenthuman attach ${reply.session.session_id}   ${out.dim('(keeps it open; type lines to say)')}` +
          (reply.session.status === 'created'
            ? `\n${out.dim('It starts when a client starts it (POST /v1/sessions/{id}/start).')}`
            : ''),
      );
      return 0;
    },
  },

  list: {
    usage: '[--status all|created|started|ended] [--limit N] [--all] [--json]',
    summary: 'list sessions, newest first',
    json: true,
    options: {
      status: { type: 'string', description: 'filter: all (default), created, started (live), ended' },
      limit: { type: 'string', description: 'at most N (default 20)' },
      all: { type: 'boolean', description: 'every session, page after page' },
    },
    async run({ values, json, client, print, printJson }) {
      const status = (values.status as string | undefined) ?? 'all';
      if (!STATUSES.includes(status as (typeof STATUSES)[number])) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be 1–500');
      const sessions: Session[] = [];
      if (values.all) {
        for await (const s of client().sessions.iterate({ status: status as 'all', limit: 100 }))
          sessions.push(s);
      } else {
        sessions.push(...(await client().sessions.list({ status: status as 'all', limit })).sessions);
      }
      if (json) return printJson(sessions);
      if (sessions.length === 0) {
        print(
          `No sessions${status === 'all' ? '' : ` with status ${status}`}. Create one: agenthuman sessions create`,
        );
        return 0;
      }
      print(
        renderTable(sessions, [
          { header: 'session', value: (s) => s.session_id },
          { header: 'status', value: statusText },
          { header: 'avatar', value: (s) => s.avatar?.name, max: 20 },
          { header: 'type', value: (s) => s.session_type },
          { header: 'created', value: (s) => formatTime(s.created_at) },
          { header: 'duration', value: durationOf, align: 'right' },
          { header: 'end reason', value: (s) => s.end_reason },
          {
            header: 'billed',
            value: (s) => (s.billing ? `${s.billing.minutes_charged} min` : ''),
            align: 'right',
          },
        ]),
      );
      return 0;
    },
  },

  get: {
    usage: '<session_id> [--json]',
    summary: 'show one session: status, duration, end reason, billing, room link',
    json: true,
    minPositionals: 1,
    async run({ positionals, json, client, print, printJson }) {
      const api = client();
      const session = await api.sessions.get(positionals[0] as string);
      if (json) return printJson(session);
      print(sessionFields(session, api.baseUrl));
      return 0;
    },
  },

  end: {
    usage: '<session_id> [--json]',
    summary: 'end a live session (idempotent) and show what it was billed',
    json: true,
    minPositionals: 1,
    async run({ positionals, json, client, print, printJson }) {
      const reply = await client().sessions.end(positionals[0] as string);
      if (json) return printJson(reply);
      const s = reply.session;
      print(
        `${out.green('✓')} session ${s.session_id} ended after ${formatDuration(s.duration)}; billed ${s.billing?.minutes_charged ?? 0} min`,
      );
      return 0;
    },
  },

  delete: {
    usage: '<session_id>',
    summary: 'delete a session that never started',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().sessions.delete(positionals[0] as string);
      print(`${out.green('✓')} session ${positionals[0]} deleted`);
      return 0;
    },
  },
});
