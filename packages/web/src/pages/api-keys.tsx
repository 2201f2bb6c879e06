/** @module API keys: create (the key is shown once, with a copy button), deactivate and revoke. */
import type { ApiKey, CreatedApiKey } from '@agenthuman/sdk';
import { type FormEvent, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { Badge } from '../components/badge.js';
import { Field } from '../components/field.js';
import { formatDateTime } from '../components/format.js';
import { ListTable } from '../components/list-table.js';
import { PageHeader } from '../components/page-header.js';
import { runAction } from '../components/run-action.js';
import { ShownOnce } from '../components/shown-once.js';
import { Empty, errorText } from '../components/states.js';

export function ApiKeysPage() {
  useTitle('API keys');
  const client = useClient();
  const keys = useAsync(() => client.apiKeys.list(), [client]);
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState<'live' | 'test'>('live');
  const [created, setCreated] = useState<CreatedApiKey>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (name.length > 100) return setError('At most 100 characters.');
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await client.apiKeys.create({ ...(name.trim() && { name: name.trim() }), environment }));
      setName('');
      keys.reload();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const act = (key: ApiKey, action: 'deactivate' | 'revoke') =>
    runAction(
      async () => {
        if (action === 'revoke') await client.apiKeys.delete(key.key_id);
        else await client.apiKeys.deactivate(key.key_id);
        keys.reload();
      },
      setError,
      {
        confirm:
          action === 'revoke'
            ? `Revoke "${key.name}"? Requests with it fail at once, and it cannot be restored.`
            : `Deactivate "${key.name}"? Requests with it fail at once.`,
      },
    );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate your backend. Each is shown once, when it is created."
      />
      <form className="card form-row" onSubmit={create} noValidate>
        <Field label="Name" hint="To recognise it later, e.g. production backend." error={error}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder="My backend"
          />
        </Field>
        <div className="field field-fit">
          <span className="label" id="env-label">
            Environment
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="env-label">
            {(['live', 'test'] as const).map((env) => (
              <label key={env} className="segmented-option">
                <input
                  type="radio"
                  name="environment"
                  checked={environment === env}
                  onChange={() => setEnvironment(env)}
                />
                {env}
              </label>
            ))}
          </div>
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>

      {created && (
        <ShownOnce secret={created.key} testId="new-key" onDone={() => setCreated(undefined)}>
          <strong>Copy your new key now.</strong> It will not be shown again.
        </ShownOnce>
      )}

      <ListTable
        list={keys}
        loading="Loading keys…"
        empty={<Empty title="No keys" />}
        caption="API keys"
        columns={['Name', 'Key', 'Status', 'Created', 'Last used']}
        row={(key) => (
          <tr key={key.key_id} data-key-id={key.key_id}>
            <td>{key.name}</td>
            <td>
              <code className="id">{key.prefix}</code>
            </td>
            <td>
              {key.status === 'active' ? (
                <Badge tone="green">active</Badge>
              ) : (
                <Badge tone="grey">deactivated</Badge>
              )}
            </td>
            <td>{formatDateTime(key.created_at)}</td>
            <td>{formatDateTime(key.last_used_at)}</td>
            <td className="actions">
              {key.status === 'active' && (
                <button type="button" className="button button-small" onClick={() => act(key, 'deactivate')}>
                  Deactivate
                </button>
              )}
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => act(key, 'revoke')}
                aria-label={`Revoke ${key.name}`}
              >
                Revoke
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}
