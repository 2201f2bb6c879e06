/** @module API keys: create (the key is shown once, with a copy button), deactivate and revoke. */
import type { ApiKey, CreatedApiKey } from '@agenthuman/sdk';
import { type FormEvent, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { Badge } from '../components/badge.js';
import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { formatDateTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { Empty, ErrorNotice, errorText, Loading } from '../components/states.js';

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

  const act = async (key: ApiKey, action: 'deactivate' | 'revoke') => {
    const question =
      action === 'revoke'
        ? `Revoke "${key.name}"? Requests with it fail at once, and it cannot be restored.`
        : `Deactivate "${key.name}"? Requests with it fail at once.`;
    if (!window.confirm(question)) return;
    try {
      if (action === 'revoke') await client.apiKeys.delete(key.key_id);
      else await client.apiKeys.deactivate(key.key_id);
      keys.reload();
    } catch (reason) {
      setError(errorText(reason));
    }
  };

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
        <div className="card notice-success new-key" role="status" data-testid="new-key">
          <p>
            <strong>Copy your new key now.</strong> It will not be shown again.
          </p>
          <div className="key-row">
            <code className="key-value">{created.key}</code>
            <CopyButton text={created.key} />
          </div>
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => setCreated(undefined)}
          >
            I have saved it
          </button>
        </div>
      )}

      {keys.loading && !keys.data ? (
        <Loading label="Loading keys…" />
      ) : keys.error ? (
        <ErrorNotice error={keys.error} onRetry={keys.reload} />
      ) : !keys.data?.length ? (
        <Empty title="No keys" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
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
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => act(key, 'deactivate')}
                      >
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
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
