/** @module `agenthuman keys list|create|deactivate|revoke`: the account's API keys. */
import { defineGroup } from '../command-kit.js';
import { formatTime } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderTable } from '../terminal/table.js';

export default defineGroup('keys', 'manage API keys: list | create | deactivate | revoke', {
  list: {
    usage: '[--json]',
    summary: 'your API keys (only their prefix: the full key is shown once, at creation)',
    json: true,
    async run({ json, client, print, printJson }) {
      const keys = await client().apiKeys.list();
      if (json) return printJson(keys);
      print(
        renderTable(keys, [
          { header: 'key', value: (k) => k.key_id },
          { header: 'name', value: (k) => k.name, max: 24 },
          { header: 'prefix', value: (k) => k.prefix },
          {
            header: 'status',
            value: (k) => (k.status === 'active' ? out.green('active') : out.dim('deactivated')),
          },
          { header: 'created', value: (k) => formatTime(k.created_at) },
          { header: 'last used', value: (k) => formatTime(k.last_used_at) },
        ]),
      );
      return 0;
    },
  },

  create: {
    usage: '[--name NAME] [--test] [--json]',
    summary: 'create a key; it is printed once',
    json: true,
    options: {
      name: { type: 'string', description: 'a name to recognise it by' },
      test: { type: 'boolean', description: 'an ah_test_ key instead of ah_live_' },
    },
    async run({ values, json, client, print, printJson }) {
      const key = await client().apiKeys.create({
        ...(typeof values.name === 'string' && { name: values.name }),
        environment: values.test ? 'test' : 'live',
      });
      if (json) return printJson(key);
      print(
        `${out.green('✓')} key ${key.key_id} created. Copy it now; it is not shown again:\n\n  ${out.bold(key.key)}\n`,
      );
      return 0;
    },
  },

  deactivate: {
    usage: '<key_id>',
    summary: 'stop a key from working (it stays listed)',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().apiKeys.deactivate(positionals[0] as string);
      print(`${out.green('✓')} key ${positionals[0]} deactivated`);
      return 0;
    },
  },

  revoke: {
    usage: '<key_id>',
    summary: 'delete a key for good',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().apiKeys.delete(positionals[0] as string);
      print(`${out.green('✓')} key ${positionals[0]} revoked`);
      return 0;
    },
  },
});
