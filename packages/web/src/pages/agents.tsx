/** @module Agents: list, create, edit, delete; a link to talk to one in the playground. */
import type { Agent } from '@agenthuman/sdk';
import { useState } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { formatDateTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { Empty, ErrorNotice, errorText, Loading } from '../components/states.js';
import { AgentForm } from './agent-form.js';

export function AgentsPage() {
  useTitle('Agents');
  const client = useClient();
  const data = useAsync(async () => {
    const [agents, avatars] = await Promise.all([
      client.agents.list(),
      client.avatars.list().catch(() => undefined),
    ]);
    return { agents, avatars: [...(avatars?.my_avatars ?? []), ...(avatars?.public_avatars ?? [])] };
  }, [client]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Agent>();
  const [error, setError] = useState<string>();

  const remove = async (agent: Agent) => {
    if (!window.confirm(`Delete ${agent.name}? Its links stop working.`)) return;
    try {
      await client.agents.delete(agent.agent_id);
      data.reload();
    } catch (reason) {
      setError(errorText(reason));
    }
  };

  return (
    <>
      <PageHeader
        title="Agents"
        description="An agent listens, thinks with an LLM, and answers with an avatar's face and voice."
        actions={
          !creating && (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              New agent
            </button>
          )
        }
      />
      {creating && (
        <AgentForm
          avatars={data.data?.avatars ?? []}
          onCancel={() => setCreating(false)}
          onSubmit={async (body) => {
            await client.agents.create(body);
            setCreating(false);
            data.reload();
          }}
        />
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {data.loading && !data.data ? (
        <Loading label="Loading agents…" />
      ) : data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : !data.data?.agents.length ? (
        !creating && <Empty title="No agents yet">Create one to give an avatar a mind of its own.</Empty>
      ) : (
        <ul className="list">
          {data.data.agents.map((agent) =>
            editing?.agent_id === agent.agent_id ? (
              <li key={agent.agent_id}>
                <AgentForm
                  agent={agent}
                  avatars={data.data?.avatars ?? []}
                  onCancel={() => setEditing(undefined)}
                  onSubmit={async (body) => {
                    await client.agents.update(agent.agent_id, body);
                    setEditing(undefined);
                    data.reload();
                  }}
                />
              </li>
            ) : (
              <li key={agent.agent_id} className="card list-item">
                <div>
                  <strong>{agent.name}</strong>
                  <div className="muted small">
                    <code className="id">{agent.agent_id}</code> · {agent.language} · created{' '}
                    {formatDateTime(agent.created_at)}
                  </div>
                  {agent.context && <p className="clamp">{agent.context}</p>}
                </div>
                <div className="list-actions">
                  <Link
                    className="button button-small"
                    href={`/playground?agent=${encodeURIComponent(agent.agent_id)}`}
                  >
                    Talk
                  </Link>
                  <button type="button" className="button button-small" onClick={() => setEditing(agent)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    onClick={() => remove(agent)}
                  >
                    Delete
                  </button>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </>
  );
}
