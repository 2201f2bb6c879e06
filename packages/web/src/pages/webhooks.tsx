/**
 * @module Webhooks: add an endpoint (the signing secret is shown once), delete it, send a test event, see its
 * deliveries (status, attempts, response code, latency) and replay one; a disabled endpoint gets a notice with
 * the reason and an Enable button.
 */
import type { CreatedWebhook, Webhook, WebhookDelivery, WebhookEventType } from '@agenthuman/sdk';
import { type FormEvent, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { Badge, type BadgeTone } from '../components/badge.js';
import { Field } from '../components/field.js';
import { formatDateTime } from '../components/format.js';
import { ListTable } from '../components/list-table.js';
import { PageHeader } from '../components/page-header.js';
import { runAction } from '../components/run-action.js';
import { ShownOnce } from '../components/shown-once.js';
import { Empty, errorText } from '../components/states.js';

// The protocol's list (the dashboard ships no zod); `satisfies` keeps it in step with the SDK's type.
const EVENT_TYPES = [
  'session.started',
  'session.ended',
  'avatar.ready',
  'avatar.failed',
  'transcript.ready',
  'recording.ready',
  'recording.failed',
] as const satisfies readonly WebhookEventType[];

const DELIVERY_TONES: Record<WebhookDelivery['status'], BadgeTone> = {
  succeeded: 'green',
  pending: 'amber',
  failed: 'red',
};

export function WebhooksPage() {
  useTitle('Webhooks');
  const client = useClient();
  const hooks = useAsync(() => client.webhooks.list(), [client]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [created, setCreated] = useState<CreatedWebhook>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^https?:\/\/.+/.test(url.trim())) return setError('Enter an http:// or https:// URL.');
    setBusy(true);
    setError(undefined);
    try {
      const reply = await client.webhooks.create({
        url: url.trim(),
        ...(description.trim() && { description: description.trim() }),
        ...(events.length > 0 && { events }),
      });
      setCreated(reply);
      setUrl('');
      setDescription('');
      setEvents([]);
      hooks.reload();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const act = (hook: Webhook, action: 'delete' | 'test' | 'enable') =>
    runAction(
      async () => {
        if (action === 'delete') await client.webhooks.delete(hook.webhook_id);
        else if (action === 'test') {
          await client.webhooks.test(hook.webhook_id);
          setOpen(hook.webhook_id);
        } else await client.webhooks.enable(hook.webhook_id);
        hooks.reload();
      },
      setError,
      action === 'delete'
        ? { confirm: `Delete the webhook to ${hook.url}? Undelivered events are dropped.` }
        : {},
    );

  const toggle = (type: WebhookEventType) =>
    setEvents((now) => (now.includes(type) ? now.filter((t) => t !== type) : [...now, type]));
  const disabled = hooks.data?.filter((h) => h.status === 'disabled') ?? [];

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Your backend hears about sessions, avatars and transcripts as they happen: signed POSTs (Standard Webhooks), retried for 24 hours."
      />
      {disabled.map((hook) => (
        <div
          key={hook.webhook_id}
          className="notice notice-warning"
          role="alert"
          data-testid="disabled-notice"
        >
          <p>
            <strong>Deliveries to {hook.url} are stopped.</strong> {hook.disabled_reason}
          </p>
          <button type="button" className="button button-small" onClick={() => act(hook, 'enable')}>
            Enable again
          </button>
        </div>
      ))}
      <form className="card form-grid" onSubmit={create} noValidate>
        <Field
          label="Endpoint URL"
          hint="Where events are POSTed. Must answer 2xx within 10 s."
          error={error}
        >
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://example.com/agenthuman/webhooks"
            maxLength={2048}
          />
        </Field>
        <Field label="Description" hint="Optional, to recognise it later.">
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </Field>
        <fieldset className="field span-2 event-picker">
          <legend className="label">Events (none ticked: all of them)</legend>
          <div className="event-options">
            {EVENT_TYPES.map((type) => (
              <label key={type} className="radio-row">
                <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} />
                <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-actions span-2">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
      </form>

      {created && (
        <ShownOnce secret={created.secret} testId="new-webhook-secret" onDone={() => setCreated(undefined)}>
          <strong>Copy the signing secret now.</strong> It will not be shown again. Verify deliveries with{' '}
          <code>client.webhooks.verify(body, headers, secret)</code>.
        </ShownOnce>
      )}

      <ListTable
        list={hooks}
        loading="Loading webhooks…"
        empty={<Empty title="No webhooks yet">Add an endpoint above to receive events.</Empty>}
        caption="Webhook endpoints"
        columns={['URL', 'Events', 'Status', 'Created']}
        row={(hook) => (
          <tr key={hook.webhook_id} data-webhook-id={hook.webhook_id}>
            <td>
              <code className="id">{hook.url}</code>
              {hook.description && <div className="muted small">{hook.description}</div>}
            </td>
            <td className="small">
              {hook.events.length === EVENT_TYPES.length ? 'all' : hook.events.join(', ')}
            </td>
            <td>
              <Badge tone={hook.status === 'enabled' ? 'green' : 'red'}>{hook.status}</Badge>
            </td>
            <td>{formatDateTime(hook.created_at)}</td>
            <td className="actions">
              <button
                type="button"
                className="button button-small"
                aria-expanded={open === hook.webhook_id}
                onClick={() => setOpen(open === hook.webhook_id ? undefined : hook.webhook_id)}
              >
                Deliveries
              </button>
              <button type="button" className="button button-small" onClick={() => act(hook, 'test')}>
                Send test
              </button>
              <button
                type="button"
                className="button button-small button-danger"
                aria-label={`Delete the webhook to ${hook.url}`}
                onClick={() => act(hook, 'delete')}
              >
                Delete
              </button>
            </td>
          </tr>
        )}
      />
      {open && hooks.data?.some((h) => h.webhook_id === open) && (
        <Deliveries webhookId={open} url={hooks.data.find((h) => h.webhook_id === open)!.url} />
      )}
    </>
  );
}

function Deliveries({ webhookId, url }: { webhookId: string; url: string }) {
  const client = useClient();
  const list = useAsync(() => client.webhooks.deliveries(webhookId, { limit: 50 }), [client, webhookId]);
  const [error, setError] = useState<string>();

  const replay = (delivery: WebhookDelivery) => {
    setError(undefined);
    return runAction(async () => {
      await client.webhooks.replay(webhookId, delivery.delivery_id);
      list.reload();
    }, setError);
  };

  return (
    <section aria-labelledby="deliveries-title" data-testid="deliveries">
      <div className="page-actions">
        <h2 id="deliveries-title" className="section-title">
          Recent deliveries <span className="muted small">to {url}</span>
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={list.reload}>
          Refresh
        </button>
      </div>
      {error && (
        <div className="notice notice-error" role="alert">
          <p>{error}</p>
        </div>
      )}
      <ListTable
        list={list}
        loading="Loading deliveries…"
        empty={<Empty title="No deliveries yet">Events appear here as they are sent.</Empty>}
        caption="Deliveries"
        columns={['Event', 'Status', 'Attempts', 'Response', 'Latency', 'Created', 'Next / delivered']}
        row={(d) => (
          <tr key={d.delivery_id} data-delivery-id={d.delivery_id}>
            <td>
              <code>{d.event_type}</code>
              {d.last_error && <div className="muted small">{d.last_error}</div>}
            </td>
            <td>
              <Badge tone={DELIVERY_TONES[d.status]}>{d.status}</Badge>
            </td>
            <td>{d.attempts}</td>
            <td>{d.response_status ?? '—'}</td>
            <td>{d.latency_ms === null ? '—' : `${d.latency_ms} ms`}</td>
            <td>{formatDateTime(d.created_at)}</td>
            <td>{formatDateTime(d.delivered_at ?? d.next_attempt_at)}</td>
            <td className="actions">
              <button type="button" className="button button-small" onClick={() => replay(d)}>
                Replay
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}
