/**
 * rtc-node's native core hands every Rust and libwebrtc log record to JavaScript (it initialises the FFI with
 * log capture on, level trace) and rtc-node drops them all: a subscription the Rust SDK gave up on ("could not
 * find published track", "received track from an unknown participant") or a signalling step stuck for 10 s is
 * never seen. `printRustWarnings` writes the warnings and errors of this process's rtc-node to stderr.
 */
import type { EventEmitter } from 'node:events';

type LogEvent = {
  message: { case?: string; value?: { records?: { level?: number; target?: string; message?: string }[] } };
};

let hooked = false;

/** Once per process, after rtc-node's FFI client exists (i.e. after a first `Room.connect`). */
export function printRustWarnings(label: string): void {
  if (hooked) return;
  // rtc-node keeps its one FFI client here and does not export it.
  const client = (globalThis as { _ffiClientInstance?: EventEmitter })._ffiClientInstance;
  if (!client) return;
  hooked = true;
  // A loaded subscriber warns of every dropped queued frame: at most 5 lines per target every 10 s.
  const printed = new Map<string, number>();
  let windowStart = performance.now();
  client.on('ffi_event', (event: LogEvent) => {
    if (event.message.case !== 'logs') return;
    for (const record of event.message.value?.records ?? []) {
      // LogLevel: 0 error, 1 warn, 2 info, 3 debug, 4 trace.
      if ((record.level ?? 4) > 1) continue;
      if (performance.now() - windowStart > 10_000) {
        for (const [target, n] of printed)
          if (n > 5) console.error(`[${label}] rtc ${target}: ${n - 5} more warnings in 10 s`);
        printed.clear();
        windowStart = performance.now();
      }
      const target = record.target ?? '';
      const n = (printed.get(target) ?? 0) + 1;
      printed.set(target, n);
      if (n > 5) continue;
      const level = record.level === 0 ? 'ERROR' : 'WARN';
      console.error(`[${label}] rtc ${level} ${target}: ${(record.message ?? '').slice(0, 400)}`);
    }
  });
}
