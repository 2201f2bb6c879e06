/** @module The live event log: what went out, what came back, with time since start. */
import { useEffect, useRef } from 'react';
import type { LogEntry } from './use-live-session.js';

const ARROWS = { in: '←', out: '→', local: '•' } as const;

export function EventLog({ entries }: { entries: LogEntry[] }) {
  const end = useRef<HTMLLIElement>(null);
  const count = entries.length;
  useEffect(() => {
    if (count > 0) end.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);
  return (
    <section className="card panel" aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      {entries.length === 0 ? (
        <p className="muted small">Events from the server appear here.</p>
      ) : (
        <ol className="event-log" aria-live="polite" data-testid="event-log">
          {entries.map((e) => (
            <li key={e.id} className={`event event-${e.direction}`}>
              <span className="event-time">{(e.atMs / 1000).toFixed(2)}s</span>
              <span className="event-dir" title={e.direction}>
                {ARROWS[e.direction]}
              </span>
              <span className="event-type">{e.type}</span>
              {e.detail && <span className="event-detail">{e.detail}</span>}
            </li>
          ))}
          <li ref={end} aria-hidden="true" className="event-end" />
        </ol>
      )}
    </section>
  );
}
