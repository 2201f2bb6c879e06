/** @module Agents: list, create, edit, delete; a link to talk to one in the playground. */
import type { Agent } from '@agenthuman/sdk';
import { useState } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { formatDateTime } from '../components/format.js';
import { ListTable } from '../components/list-table.js';
import { PageHeader } from '../components/page-header.js';
import { runAction } from '../components/run-action.js';
import { Empty } from '../components/states.js';
import { AgentForm } from './agent-form.js';

export function AgentsPage() {
  useTitle('Agents');
  const client = useClient();
  const agents = useAsync(() => client.agents.list(), [client]);
  // The form's avatar choice; without it the form still works (the agent's default avatar).
  const avatars = useAsync(async () => {
    const list = await client.avatars.list().catch(() => undefined);
    return [...(list?.my_avatars ?? []), ...(list?.public_avatars ?? [])];
  }, [client]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Agent>();
  const [error, setError] = useState<string>();

  const remove = (agent: Agent) =>
    runAction(
      async () => {
        await client.agents.delete(agent.agent_id);
        agents.reload();
      },
      setError,
      { confirm: `Delete ${agent.name}? Its links stop working.` },
    );

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
          avatars={avatars.data ?? []}
          onCancel={() => setCreating(false)}
          onSubmit={async (body) => {
            await client.agents.create(body);
            setCreating(false);
            agents.reload();
          }}
        />
      )}
      {editing && (
        <AgentForm
          key={editing.agent_id}
          agent={editing}
          avatars={avatars.data ?? []}
          onCancel={() => setEditing(undefined)}
          onSubmit={async (body) => {
            await client.agents.update(editing.agent_id, body);
            setEditing(undefined);
            agents.reload();
          }}
        />
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <ListTable
        list={agents}
        loading="Loading agents…"
        empty={
          !creating && <Empty title="No agents yet">Create one to give an avatar a mind of its own.</Empty>
        }
        caption="Agents"
        columns={['Name', 'Agent ID', 'Language', 'Created']}
        row={(agent) => (
          <tr key={agent.agent_id} data-agent-id={agent.agent_id}>
            <td>
              <strong>{agent.name}</strong>
              {agent.context && <p className="clamp">{agent.context}</p>}
            </td>
            <td>
              <code className="id">{agent.agent_id}</code>
            </td>
            <td>{agent.language}</td>
            <td>{formatDateTime(agent.created_at)}</td>
            <td className="actions">
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
            </td>
          </tr>
        )}
      />
    </>
  );
}
