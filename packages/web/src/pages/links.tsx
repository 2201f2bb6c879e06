/** @module Links: shareable pages that start a session with an agent; create with validation, pause, delete. */
import { AgentHumanError, type Link as AgentLink } from '@agenthuman/sdk';
import { type FormEvent, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { Badge } from '../components/badge.js';
import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { formatDateTime } from '../components/format.js';
import { ListTable } from '../components/list-table.js';
import { PageHeader } from '../components/page-header.js';
import { runAction } from '../components/run-action.js';
import { Empty, ErrorNotice, errorText, Loading } from '../components/states.js';

type Errors = Partial<Record<'agent_id' | 'expires_at' | 'use_limit' | 'form', string>>;

export function LinksPage() {
  useTitle('Links');
  const client = useClient();
  const links = useAsync(() => client.links.list(), [client]);
  const agents = useAsync(() => client.agents.list(), [client]);
  const [agentId, setAgentId] = useState('');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [limit, setLimit] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!agentId) found.agent_id = 'Choose the agent the link talks to.';
    if (expires && !(Date.parse(expires) > Date.now())) found.expires_at = 'Pick a time in the future.';
    if (limit && !(Number.isInteger(Number(limit)) && Number(limit) > 0))
      found.use_limit = 'A whole number above 0.';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await client.links.create({
        agent_id: agentId,
        ...(name.trim() && { name: name.trim() }),
        ...(expires && { expires_at: new Date(expires).toISOString() }),
        ...(limit && { use_limit: Number(limit) }),
      });
      setName('');
      setExpires('');
      setLimit('');
      links.reload();
    } catch (error) {
      const field = error instanceof AgentHumanError ? error.field : undefined;
      setErrors(
        field && ['agent_id', 'expires_at', 'use_limit'].includes(field)
          ? { [field]: errorText(error) }
          : { form: errorText(error) },
      );
    } finally {
      setBusy(false);
    }
  };

  const update = (link: AgentLink, action: 'pause' | 'resume' | 'delete') =>
    runAction(
      async () => {
        if (action === 'delete') await client.links.delete(link.link_id);
        else await client.links.update(link.link_id, { status: action === 'pause' ? 'paused' : 'active' });
        links.reload();
      },
      (form) => setErrors({ form }),
      action === 'delete'
        ? { confirm: `Delete the link "${link.name ?? link.link_id}"? It stops working at once.` }
        : {},
    );

  return (
    <>
      <PageHeader
        title="Links"
        description="A link opens a page where anyone can talk to one of your agents. No API key needed."
      />
      {agents.loading && !agents.data ? (
        <Loading label="Loading agents…" />
      ) : agents.error ? (
        <ErrorNotice error={agents.error} onRetry={agents.reload} />
      ) : agents.data?.length ? (
        <form className="card form-grid" onSubmit={create} noValidate aria-label="New link">
          <Field label="Agent" error={errors.agent_id}>
            <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
              <option value="">Choose…</option>
              {agents.data.map((a) => (
                <option key={a.agent_id} value={a.agent_id}>
                  {a.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" hint="Optional.">
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Product demo" />
          </Field>
          <Field label="Expires" hint="Optional; never by default." error={errors.expires_at}>
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </Field>
          <Field
            label="Use limit"
            hint="Sessions it may start; unlimited by default."
            error={errors.use_limit}
          >
            <input
              inputMode="numeric"
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
              placeholder="∞"
            />
          </Field>
          {errors.form && (
            <div className="notice notice-error span-2" role="alert">
              {errors.form}
            </div>
          )}
          <div className="form-actions span-2">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create link'}
            </button>
          </div>
        </form>
      ) : (
        <Empty title="Links need an agent">
          <Link href="/agents">Create an agent</Link> first.
        </Empty>
      )}
      <ListTable
        list={links}
        loading="Loading links…"
        empty={agents.data?.length ? <Empty title="No links yet" /> : null}
        caption="Links"
        columns={['Name', 'Agent', 'Uses', 'Expires', 'Link', 'Status']}
        row={(link) => (
          <tr key={link.link_id} data-link-id={link.link_id}>
            <td>
              <strong>{link.name ?? link.link_id}</strong>
            </td>
            <td>{link.agent.name}</td>
            <td className="num">
              {link.uses}
              {link.use_limit === null ? '' : ` of ${link.use_limit}`}
            </td>
            <td>{link.expires_at ? formatDateTime(link.expires_at) : 'never'}</td>
            <td>
              <div className="key-row">
                <a href={link.url} target="_blank" rel="noreferrer" className="small url">
                  {link.url}
                </a>
                <CopyButton text={link.url} label="Copy link" />
              </div>
            </td>
            <td>
              <Badge tone={link.status === 'active' ? 'green' : link.status === 'paused' ? 'amber' : 'grey'}>
                {link.status}
              </Badge>
            </td>
            <td className="actions">
              {link.status === 'active' ? (
                <button type="button" className="button button-small" onClick={() => update(link, 'pause')}>
                  Pause
                </button>
              ) : (
                link.status === 'paused' && (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => update(link, 'resume')}
                  >
                    Resume
                  </button>
                )
              )}
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => update(link, 'delete')}
              >
                Delete
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}
