/** @module Sessions: live ones (with their running time, refreshed) and history (end reason, billing), paged. */
import type { Session } from '@agenthuman/sdk';
import { useEffect, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { Badge } from '../components/badge.js';
import { formatDateTime, formatDuration, secondsSince } from '../components/format.js';
import { ListTable } from '../components/list-table.js';
import { PageHeader } from '../components/page-header.js';
import { runAction } from '../components/run-action.js';
import { Empty, errorText } from '../components/states.js';

type Tab = 'started' | 'ended' | 'all';
const TABS: { id: Tab; label: string }[] = [
  { id: 'started', label: 'Live' },
  { id: 'ended', label: 'History' },
  { id: 'all', label: 'All' },
];
const PAGE = 25;

export function SessionsPage() {
  useTitle('Sessions');
  const client = useClient();
  const [tab, setTab] = useState<Tab>('started');
  const [extra, setExtra] = useState<Session[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string>();
  const [, setNow] = useState(0);

  const page = useAsync(async () => {
    const reply = await client.sessions.list({ status: tab, limit: PAGE });
    setExtra([]);
    setCursor(reply.next_cursor);
    return reply.sessions;
  }, [client, tab]);

  // Live durations tick; the list itself refreshes every 10 s on the Live tab.
  useEffect(() => {
    const timer = setInterval(() => setNow((n) => n + 1), 1000);
    const refresh = tab === 'started' ? setInterval(page.reload, 10_000) : undefined;
    return () => {
      clearInterval(timer);
      if (refresh) clearInterval(refresh);
    };
  }, [tab, page.reload]);

  const loadMore = async () => {
    if (!cursor) return;
    const reply = await client.sessions.list({ status: tab, limit: PAGE, cursor });
    setExtra((rows) => [...rows, ...reply.sessions]);
    setCursor(reply.next_cursor);
  };

  const end = (id: string) => {
    setActionError(undefined);
    return runAction(async () => {
      await client.sessions.end(id);
      page.reload();
    }, setActionError);
  };

  const sessions = [...(page.data ?? []), ...extra];

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Every conversation with an avatar: live now, and what ended with its reason and billing."
        actions={
          <Link className="button button-primary" href="/playground">
            New session
          </Link>
        }
      />
      <div className="tabs" role="tablist" aria-label="Session status">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {actionError && (
        <div className="notice notice-error" role="alert">
          {actionError}
        </div>
      )}
      <ListTable
        list={page}
        rows={sessions}
        loading="Loading sessions…"
        empty={
          <Empty title={tab === 'started' ? 'No live sessions' : 'No sessions yet'}>
            Start one in the <Link href="/playground">playground</Link>, or with{' '}
            <code>agenthuman sessions create</code>.
          </Empty>
        }
        caption="Sessions, newest first"
        columns={[
          'Session',
          'Status',
          'Avatar',
          'Started',
          { label: 'Duration', className: 'num' },
          'End reason',
          { label: 'Billed', className: 'num' },
        ]}
        row={(s) => (
          <tr key={s.session_id}>
            <td>
              <code className="id">{s.session_id}</code>
              <div className="muted small">{s.session_type.replace('_', ' ')}</div>
            </td>
            <td>
              <StatusBadge session={s} />
            </td>
            <td>{s.avatar?.name ?? '—'}</td>
            <td>{formatDateTime(s.started_at ?? s.created_at)}</td>
            <td className="num">
              {s.status === 'started'
                ? formatDuration(secondsSince(s.started_at))
                : formatDuration(s.duration)}
            </td>
            <td>{s.end_reason ? s.end_reason.replace('_', ' ') : '—'}</td>
            <td className="num">
              {s.billing ? (
                <span
                  title={`included ${s.billing.included_minutes_used} min, purchased ${s.billing.purchased_minutes_used} min`}
                >
                  {s.billing.minutes_charged} min
                </span>
              ) : (
                '—'
              )}
            </td>
            <td className="actions">
              {s.status === 'ended' && s.record && <RecordingLink sessionId={s.session_id} />}
              {s.status === 'started' && (
                <button
                  type="button"
                  className="button button-small button-danger"
                  onClick={() => end(s.session_id)}
                >
                  End
                </button>
              )}
            </td>
          </tr>
        )}
      />
      {cursor && (
        <div className="center">
          <button type="button" className="button" onClick={loadMore}>
            Load more
          </button>
        </div>
      )}
    </>
  );
}

/** Asks for a fresh signed URL on click (they expire), then downloads; says why when there is none. */
function RecordingLink({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [note, setNote] = useState<string>();
  const open = async () => {
    try {
      const recording = await client.sessions.recording(sessionId);
      if (recording.url) window.location.assign(recording.url);
      else setNote(recording.failure?.reason ?? recording.status);
    } catch (error) {
      setNote(errorText(error));
    }
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={() => void open()}>
        Recording
      </button>
      {note && <div className="muted small">{note}</div>}
    </>
  );
}

function StatusBadge({ session }: { session: Session }) {
  if (session.status === 'started') return <Badge tone="green">live</Badge>;
  if (session.status === 'created') return <Badge tone="amber">created</Badge>;
  return <Badge tone="grey">ended</Badge>;
}
