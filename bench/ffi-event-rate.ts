/**
 * FF_DEBUG=1 diagnostics of an rtc-node process: every 5 s, its event loop's utilisation, how many FFI events
 * reached JavaScript (by kind), the listeners each one is handed to, and the log records among them by target.
 * rtc-node keeps its FFI client in a global it does not export; `watch()` is a no-op until it exists.
 */
import type { EventEmitter } from 'node:events';
import { performance as perf } from 'node:perf_hooks';

type Event = { message: { case?: string; value?: { message?: { case?: string }; records?: Rec[] } } };
type Rec = { level?: number; target?: string };

export function ffiEventRate(label: string, extra: () => string = () => ''): { watch(): void } {
  let client: EventEmitter | undefined;
  let events = 0;
  const cases = new Map<string, number>();
  const targets = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  const watch = () => {
    if (client) return;
    client = (globalThis as { _ffiClientInstance?: EventEmitter })._ffiClientInstance;
    client?.prependListener('ffi_event', (ev: Event) => {
      events++;
      add(cases, `${ev.message.case}/${ev.message.value?.message?.case ?? ''}`);
      for (const r of ev.message.value?.records ?? []) add(targets, `${r.level} ${r.target}`);
    });
  };
  let last = perf.eventLoopUtilization();
  setInterval(() => {
    watch();
    const elu = perf.eventLoopUtilization(last);
    last = perf.eventLoopUtilization();
    const top = (map: Map<string, number>) =>
      JSON.stringify([...map].sort((a, b) => b[1] - a[1]).slice(0, 6));
    console.error(
      `[${label}] ${extra()} ffi listeners ${client?.listenerCount('ffi_event')}, events/s ${Math.round(events / 5)}, ELU ${elu.utilization.toFixed(2)}, by kind ${top(cases)}, log records ${top(targets)}`,
    );
    cases.clear();
    targets.clear();
    events = 0;
  }, 5000).unref();
  return { watch };
}
