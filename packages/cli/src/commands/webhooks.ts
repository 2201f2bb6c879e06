/** @module `agenthuman webhooks list|create|delete|test|deliveries|replay|enable`: the account's webhook endpoints. */
import type { WebhookEventType } from '@agenthuman/sdk';
import { defineGroup } from '../command-kit.js';
import { formatTime } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderTable } from '../terminal/table.js';

export default defineGroup(
  'webhooks',
  'webhook endpoints: list | create | delete | test | deliveries | replay | enable',
  {
    list: {
      usage: '[--json]',
      summary: 'your webhook endpoints',
      json: true,
      async run({ json, client, print, printJson }) {
        const hooks = await client().webhooks.list();
        if (json) return printJson(hooks);
        print(
          renderTable(hooks, [
            { header: 'webhook', value: (h) => h.webhook_id },
            { header: 'url', value: (h) => h.url, max: 48 },
            { header: 'events', value: (h) => (h.events.length >= 7 ? 'all' : h.events.join(',')), max: 40 },
            {
              header: 'status',
              value: (h) => (h.status === 'enabled' ? out.green('enabled') : out.red('disabled')),
            },
            { header: 'created', value: (h) => formatTime(h.created_at) },
          ]),
        );
        for (const h of hooks.filter((x) => x.status === 'disabled'))
          print(
            `${out.red('!')} ${h.webhook_id} is disabled: ${h.disabled_reason ?? ''} (agenthuman webhooks enable ${h.webhook_id})`,
          );
        return 0;
      },
    },

    create: {
      usage: '<url> [--events a,b] [--description TEXT] [--json]',
      summary: 'add an endpoint; its signing secret is printed once',
      json: true,
      minPositionals: 1,
      options: {
        events: { type: 'string', description: 'comma-separated event types (default: all)' },
        description: { type: 'string', description: 'a note to recognise it by' },
      },
      async run({ positionals, values, json, client, print, printJson }) {
        const events =
          typeof values.events === 'string'
            ? (values.events
                .split(',')
                .map((e) => e.trim())
                .filter(Boolean) as WebhookEventType[])
            : undefined;
        const created = await client().webhooks.create({
          url: positionals[0] as string,
          ...(events && { events }),
          ...(typeof values.description === 'string' && { description: values.description }),
        });
        if (json) return printJson(created);
        print(
          `${out.green('✓')} webhook ${created.webhook.webhook_id} created. Copy its signing secret now; it is not shown again:\n\n  ${out.bold(created.secret)}\n`,
        );
        return 0;
      },
    },

    delete: {
      usage: '<webhook_id>',
      summary: 'delete an endpoint (undelivered events are dropped)',
      minPositionals: 1,
      async run({ positionals, client, print }) {
        await client().webhooks.delete(positionals[0] as string);
        print(`${out.green('✓')} webhook ${positionals[0]} deleted`);
        return 0;
      },
    },

    enable: {
      usage: '<webhook_id>',
      summary: 'resume deliveries to an endpoint disabled after failing',
      minPositionals: 1,
      async run({ positionals, client, print }) {
        await client().webhooks.enable(positionals[0] as string);
        print(`${out.green('✓')} webhook ${positionals[0]} enabled`);
        return 0;
      },
    },

    test: {
      usage: '<webhook_id> [--json]',
      summary: 'send a webhook.test event to it',
      json: true,
      minPositionals: 1,
      async run({ positionals, json, client, print, printJson }) {
        const delivery = await client().webhooks.test(positionals[0] as string);
        if (json) return printJson(delivery);
        print(
          `${out.green('✓')} test event queued as ${delivery.delivery_id} (see: agenthuman webhooks deliveries ${positionals[0]})`,
        );
        return 0;
      },
    },

    deliveries: {
      usage: '<webhook_id> [--json]',
      summary: 'recent deliveries: status, attempts, response code, latency',
      json: true,
      minPositionals: 1,
      async run({ positionals, json, client, print, printJson }) {
        const deliveries = await client().webhooks.deliveries(positionals[0] as string);
        if (json) return printJson(deliveries);
        print(
          renderTable(deliveries, [
            { header: 'delivery', value: (d) => d.delivery_id },
            { header: 'event', value: (d) => d.event_type },
            {
              header: 'status',
              value: (d) =>
                d.status === 'succeeded'
                  ? out.green(d.status)
                  : d.status === 'failed'
                    ? out.red(d.status)
                    : d.status,
            },
            { header: 'attempts', value: (d) => String(d.attempts) },
            {
              header: 'response',
              value: (d) => (d.response_status === null ? '—' : String(d.response_status)),
            },
            { header: 'latency', value: (d) => (d.latency_ms === null ? '—' : `${d.latency_ms} ms`) },
            { header: 'created', value: (d) => formatTime(d.created_at) },
          ]),
        );
        return 0;
      },
    },

    replay: {
      usage: '<webhook_id> <delivery_id>',
      summary: 'send a delivery’s event again',
      minPositionals: 2,
      async run({ positionals, client, print }) {
        const delivery = await client().webhooks.replay(positionals[0] as string, positionals[1] as string);
        print(`${out.green('✓')} replay queued as ${delivery.delivery_id}`);
        return 0;
      },
    },
  },
);
