/** @module `agenthuman links list|get|create|pause|resume|delete`. */
import type { Link } from '@agenthuman/sdk';
import { defineGroup, UsageError } from '../command-kit.js';
import { formatTime } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderFields, renderTable } from '../terminal/table.js';

const linkFields = (l: Link) =>
  renderFields([
    ['link', l.link_id],
    ['name', l.name],
    ['url', l.url],
    ['agent', `${l.agent.name} (${l.agent.agent_id})`],
    ['status', l.status],
    ['uses', `${l.uses}${l.use_limit === null ? '' : ` of ${l.use_limit}`}`],
    ['expires', l.expires_at],
    ['created', l.created_at],
  ]);

const setStatus = (status: 'active' | 'paused') => ({
  usage: '<link_id>',
  summary:
    status === 'paused' ? 'stop a link from starting sessions' : 'let a paused link start sessions again',
  minPositionals: 1,
  async run({ positionals, client, print }: Parameters<import('../command-kit.js').Action['run']>[0]) {
    const link = await client().links.update(positionals[0] as string, { status });
    print(`${out.green('✓')} link ${link.link_id} ${link.status}`);
    return 0;
  },
});

export default defineGroup('links', 'shareable links that start a session with an agent', {
  list: {
    usage: '[--status active|paused|expired] [--json]',
    summary: 'your links, newest first',
    json: true,
    options: { status: { type: 'string', description: 'filter by status' } },
    async run({ values, json, client, print, printJson }) {
      const status = values.status as Link['status'] | undefined;
      const links = await client().links.list(status ? { status } : {});
      if (json) return printJson(links);
      if (links.length === 0) {
        print('No links yet. Create one: agenthuman links create --agent <agent_id>');
        return 0;
      }
      print(
        renderTable(links, [
          { header: 'link', value: (l) => l.link_id },
          { header: 'name', value: (l) => l.name, max: 20 },
          { header: 'agent', value: (l) => l.agent.name, max: 20 },
          { header: 'status', value: (l) => l.status },
          {
            header: 'uses',
            value: (l) => `${l.uses}${l.use_limit === null ? '' : `/${l.use_limit}`}`,
            align: 'right',
          },
          { header: 'expires', value: (l) => formatTime(l.expires_at) },
          { header: 'url', value: (l) => l.url },
        ]),
      );
      return 0;
    },
  },

  get: {
    usage: '<link_id> [--json]',
    summary: 'one link',
    json: true,
    minPositionals: 1,
    async run({ positionals, json, client, print, printJson }) {
      const link = await client().links.get(positionals[0] as string);
      if (json) return printJson(link);
      print(linkFields(link));
      return 0;
    },
  },

  create: {
    usage: '--agent AGENT_ID [--name NAME] [--expires ISO_DATE] [--limit N] [--json]',
    summary: 'create a link anyone can open to talk to the agent',
    json: true,
    options: {
      agent: { type: 'string', description: 'agent id (required)' },
      name: { type: 'string', description: 'display name' },
      expires: { type: 'string', description: 'ISO 8601 date-time after which it stops working' },
      limit: { type: 'string', description: 'how many sessions it may start' },
    },
    async run({ values, json, client, print, printJson }) {
      if (typeof values.agent !== 'string') throw new UsageError('--agent is required');
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
        throw new UsageError('--limit must be a positive whole number');
      }
      if (typeof values.expires === 'string' && Number.isNaN(Date.parse(values.expires))) {
        throw new UsageError('--expires must be an ISO 8601 date, e.g. 2030-01-31T12:00:00Z');
      }
      const link = await client().links.create({
        agent_id: values.agent,
        ...(typeof values.name === 'string' && { name: values.name }),
        ...(typeof values.expires === 'string' && { expires_at: new Date(values.expires).toISOString() }),
        ...(limit !== undefined && { use_limit: limit }),
      });
      if (json) return printJson(link);
      print(`${out.green('✓')} link ${out.bold(link.link_id)} created\n\n  ${link.url}\n`);
      return 0;
    },
  },

  pause: setStatus('paused'),
  resume: setStatus('active'),

  delete: {
    usage: '<link_id>',
    summary: 'delete a link for good',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().links.delete(positionals[0] as string);
      print(`${out.green('✓')} link ${positionals[0]} deleted`);
      return 0;
    },
  },
});
