/** @module `agenthuman agents list|get|create|delete`. */
import { defineGroup } from '../command-kit.js';
import { formatTime } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderFields, renderTable } from '../terminal/table.js';

export default defineGroup('agents', 'conversational agents: an avatar, a voice and a prompt', {
  list: {
    usage: '[--json]',
    summary: 'your agents, newest first',
    json: true,
    async run({ json, client, print, printJson }) {
      const agents = await client().agents.list();
      if (json) return printJson(agents);
      if (agents.length === 0) {
        print(
          'No agents yet. Create one: agenthuman agents create --name "Support" --prompt "You help with…"',
        );
        return 0;
      }
      print(
        renderTable(agents, [
          { header: 'agent', value: (a) => a.agent_id },
          { header: 'name', value: (a) => a.name, max: 24 },
          { header: 'avatar', value: (a) => a.avatar_id, max: 28 },
          { header: 'language', value: (a) => a.language },
          { header: 'created', value: (a) => formatTime(a.created_at) },
        ]),
      );
      return 0;
    },
  },

  get: {
    usage: '<agent_id> [--json]',
    summary: 'one agent',
    json: true,
    minPositionals: 1,
    async run({ positionals, json, client, print, printJson }) {
      const a = await client().agents.get(positionals[0] as string);
      if (json) return printJson(a);
      print(
        renderFields([
          ['agent', a.agent_id],
          ['name', a.name],
          ['avatar', a.avatar_id],
          ['language', a.language],
          ['voice', a.voice_id],
          ['greeting', a.custom_greeting],
          ['prompt', a.context ? a.context.slice(0, 200) : null],
          ['created', a.created_at],
        ]),
      );
      return 0;
    },
  },

  create: {
    usage:
      '--name NAME [--avatar ID] [--prompt TEXT] [--greeting TEXT] [--language xx] [--voice ID] [--json]',
    summary: 'create an agent',
    json: true,
    options: {
      name: { type: 'string', description: 'display name (required)' },
      avatar: { type: 'string', description: 'avatar id (default: the server default avatar)' },
      prompt: { type: 'string', description: 'system prompt: who the agent is and what it does' },
      greeting: { type: 'string', description: 'first thing it says' },
      language: { type: 'string', description: 'language code, default en' },
      voice: { type: 'string', description: 'TTS voice id' },
    },
    async run({ values, json, client, print, printJson }) {
      const s = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
      const agent = await client().agents.create({
        name: s('name') ?? '',
        ...(s('avatar') && { avatar_id: s('avatar') }),
        ...(s('prompt') && { context: s('prompt') }),
        ...(s('greeting') && { custom_greeting: s('greeting') }),
        ...(s('language') && { language: s('language') }),
        ...(s('voice') && { voice_id: s('voice') }),
      });
      if (json) return printJson(agent);
      print(`${out.green('✓')} agent ${out.bold(agent.agent_id)} created`);
      print(`\n${out.dim('Next:')} agenthuman links create --agent ${agent.agent_id}`);
      return 0;
    },
  },

  delete: {
    usage: '<agent_id>',
    summary: 'delete an agent (its links stop working)',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().agents.delete(positionals[0] as string);
      print(`${out.green('✓')} agent ${positionals[0]} deleted`);
      return 0;
    },
  },
});
