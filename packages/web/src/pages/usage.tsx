/**
 * @module Usage: billed minutes (included and purchased), live concurrency, avatars, and the chart of actual
 * minutes over the period. Billing rounds each session up to a whole minute, the chart does not: the page says
 * which number is which.
 */
import type { Session, Usage } from '@agenthuman/sdk';
import { useClient } from '../app/client-context.js';
import { useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { formatDateTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { type DayUsage, dailyUsage } from '../usage/daily-usage.js';
import { UsageChart } from '../usage/usage-chart.js';

const MAX_SESSIONS = 2000;
const ROUNDING = 'rounded up per session';
const BILLING_HINT =
  'Billed minutes: each session is charged in whole minutes, rounded up (a 3-second session bills 1 minute). ' +
  'The chart below shows actual minutes, unrounded.';

export function UsagePage() {
  useTitle('Usage');
  const client = useClient();
  const data = useAsync(async () => {
    const usage = await client.usage.get();
    const sessions: Session[] = [];
    const periodStart = Date.parse(usage.period.start);
    for await (const s of client.sessions.iterate({ limit: 200 })) {
      if (Date.parse(s.created_at) < periodStart - 86_400_000 || sessions.length >= MAX_SESSIONS) break;
      sessions.push(s);
    }
    return { usage, days: dailyUsage(sessions, usage.period.start, usage.period.end) };
  }, [client]);

  return (
    <>
      <PageHeader title="Usage" description="Minutes and concurrency for the current billing period." />
      {data.loading && !data.data ? (
        <Loading label="Loading usage…" />
      ) : data.error ? (
        <ErrorNotice error={data.error} onRetry={data.reload} />
      ) : data.data ? (
        <>
          <Stats usage={data.data.usage} />
          <section className="card">
            <h2 className="section-title">Actual minutes this period</h2>
            <UsageChart days={data.data.days} />
            <BilledVsActual usage={data.data.usage} days={data.data.days} />
          </section>
        </>
      ) : null}
    </>
  );
}

function Stats({ usage }: { usage: Usage }) {
  const included = usage.included_minutes;
  const fraction = included.total ? Math.min(1, included.used / included.total) : 0;
  return (
    <div className="stats">
      <Stat
        label="Plan"
        value={usage.plan.name}
        detail={`${formatDateTime(usage.period.start)} – ${formatDateTime(usage.period.end)}`}
      />
      <Stat
        label="Billed minutes"
        value={included.total === null ? `${included.used} used` : `${included.used} / ${included.total}`}
        detail={`${included.total === null ? 'unlimited' : `${included.remaining} left`} · ${ROUNDING}`}
        hint={BILLING_HINT}
        meter={included.total === null ? undefined : fraction}
      />
      <Stat
        label="Purchased minutes"
        value={`${usage.purchased_minutes.remaining}`}
        detail={`of ${usage.purchased_minutes.total} bought`}
      />
      <Stat
        label="Live sessions"
        value={`${usage.concurrency.current}`}
        detail={
          usage.concurrency.max === null ? 'no concurrency limit' : `of ${usage.concurrency.max} allowed`
        }
        meter={usage.concurrency.max ? usage.concurrency.current / usage.concurrency.max : undefined}
      />
      <Stat
        label="Avatars this period"
        value={`${usage.avatars.used}`}
        detail={usage.avatars.limit === null ? 'unlimited' : `limit ${usage.avatars.limit}`}
      />
      <Stat
        label="Longest session"
        value={
          usage.plan.max_session_duration === null ? 'No limit' : `${usage.plan.max_session_duration} min`
        }
        detail="per session"
      />
    </div>
  );
}

/** The chart's actual minutes next to the billed ones, so the two numbers on the page are not a puzzle. */
function BilledVsActual({ usage, days }: { usage: Usage; days: DayUsage[] }) {
  const actual = Math.round(days.reduce((sum, d) => sum + d.minutes, 0) * 10) / 10;
  const billed = usage.included_minutes.used;
  return (
    <p className="muted small chart-note" data-testid="billed-vs-actual">
      {`The chart shows actual minutes: the time sessions were live, ${actual} min so far. `}
      {`Billing rounds each session up to a whole minute (a 3-second session bills 1 minute), so the ${billed} billed ${billed === 1 ? 'minute' : 'minutes'} above can be more than the chart's total.`}
    </p>
  );
}

function Stat({
  label,
  value,
  detail,
  hint,
  meter,
}: {
  label: string;
  value: string;
  detail: string;
  /** Shown as a tooltip and read as the card's description. */
  hint?: string | undefined;
  meter?: number | undefined;
}) {
  return (
    <div className="card stat" title={hint}>
      <p className="stat-label">
        {label}
        {hint && (
          <span className="stat-hint" aria-label={hint} role="img">
            i
          </span>
        )}
      </p>
      <p className="stat-value">{value}</p>
      {meter !== undefined && <meter min={0} max={1} value={meter} aria-label={`${label} used`} />}
      <p className="muted small">{detail}</p>
    </div>
  );
}
