/** @module `agenthuman usage`: minutes, concurrency and plan for the current period. */
import { defineCommand } from '../command-kit.js';
import { formatMinutes, formatTime } from '../terminal/format.js';
import { renderFields } from '../terminal/table.js';

export default defineCommand('usage', {
  usage: '[--json]',
  summary: 'minutes used and left, concurrent sessions, avatars and plan for this billing period',
  json: true,
  async run({ json, client, print, printJson }) {
    const u = await client().usage.get();
    if (json) return printJson(u);
    const max = u.concurrency.max === null ? 'unlimited' : String(u.concurrency.max);
    print(
      renderFields([
        ['plan', `${u.plan.name} (${u.plan.key})`],
        ['period', `${formatTime(u.period.start)} → ${formatTime(u.period.end)} UTC`],
        [
          'included',
          u.included_minutes.total === null
            ? `${u.included_minutes.used} min used of unlimited`
            : `${u.included_minutes.used} of ${u.included_minutes.total} min used (${u.included_minutes.remaining} left)`,
        ],
        ['purchased', `${u.purchased_minutes.remaining} of ${u.purchased_minutes.total} min left`],
        ['total left', formatMinutes(u.total_remaining)],
        [
          'live now',
          `${u.concurrency.current} session${u.concurrency.current === 1 ? '' : 's'} (max ${max}), ${u.active_minutes} min so far`,
        ],
        ['avatars', `${u.avatars.used} created this period (limit ${u.avatars.limit ?? 'unlimited'})`],
        ['max session', formatMinutes(u.plan.max_session_duration)],
      ]),
    );
    return 0;
  },
});
