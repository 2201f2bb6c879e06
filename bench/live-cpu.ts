// npm run bench:live-cpu [-- 1,2,4 [--warm]] — server CPU per live session, load-independent: for each count, the CPU
// time (ms per wall second) that N built-in-room sessions cost this process, split by thread kind (main event
// loop, render workers, libwebrtc threads, others) from /proc/self/task, so a change's effect on CPU per
// session can be compared on a busy machine where capacity counts cannot. Prints one JSON object last.
// `--lipsync=worker` runs the lip-sync beside the renderer as LiveAvatar does (default `main`; a build from before
// lip-sync ran in the workers runs it on main either way). A starved run (frames dropped) does less work, so
// `perFrame` divides each kind's CPU by the frames rendered (main, render workers) or encoded (libwebrtc).
import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { runRoomTrial, warmPool } from './engine-live-room.js';
import { chooseParts } from './engine-setup.js';
import { viewersFromArgv } from './viewer-process.js';

const TICKS_PER_SECOND = 100;

type Snapshot = Map<string, { comm: string; ticks: number; waitNs: number }>;

function snapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // schedstat's second field: nanoseconds the thread spent runnable but waiting for a core.
      const waitNs = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[1] ?? 0);
      out.set(tid, { comm, ticks: Number(fields[11]) + Number(fields[12]), waitNs });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

function kindOf(tid: string, comm: string): string {
  if (tid === String(process.pid)) return 'main';
  if (/^node$|^node:/.test(comm) && comm !== 'node') return comm;
  if (comm === 'node') return 'render-worker';
  if (/Worker|libuv|V8|threadpool/i.test(comm)) return 'node-internal';
  return 'webrtc';
}

const counts = (process.argv.slice(2).find((a) => /^\d+(,\d+)*$/.test(a)) ?? '1,2,4').split(',').map(Number);
const parts = await chooseParts(process.argv.slice(2));
// --warm: one pool for every count, warmed as the server warms its own (idle-pose caches drawn at start-up).
const warm = process.argv.includes('--warm');
const lipSync = process.argv.includes('--lipsync=worker') ? 'worker' : 'main';
const pool = warm ? await warmPool(parts) : undefined;
const results: Record<string, unknown>[] = [];
// Main-thread garbage collection inside the measured window: count and pause time per second.
let gcOn = false;
let gcCount = 0;
let gcMs = 0;
new PerformanceObserver((list) => {
  if (!gcOn) return;
  for (const entry of list.getEntries()) {
    gcCount++;
    gcMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
for (const count of counts) {
  let a: Snapshot = new Map();
  let b: Snapshot = new Map();
  let t0 = 0;
  let t1 = 0;
  const trial = await runRoomTrial(parts, count, {
    pool: warm ? pool : undefined,
    viewers: viewersFromArgv(process.argv),
    lipSync,
    onMeasure: (phase) => {
      if (phase === 'start') {
        gcOn = true;
        gcCount = 0;
        gcMs = 0;
        a = snapshot();
        t0 = performance.now();
      } else {
        b = snapshot();
        t1 = performance.now();
        gcOn = false;
      }
    },
  });
  const seconds = (t1 - t0) / 1000;
  const byKind: Record<string, number> = {};
  const byComm: Record<string, number> = {};
  const waitByKind: Record<string, number> = {};
  for (const [tid, end] of b) {
    const ms = ((end.ticks - (a.get(tid)?.ticks ?? 0)) * 1000) / TICKS_PER_SECOND / seconds;
    const kind = kindOf(tid, end.comm);
    byKind[kind] = (byKind[kind] ?? 0) + ms;
    byComm[end.comm] = (byComm[end.comm] ?? 0) + ms;
    const waitMs = (end.waitNs - (a.get(tid)?.waitNs ?? 0)) / 1e6 / seconds;
    waitByKind[kind] = (waitByKind[kind] ?? 0) + waitMs;
  }
  const total = Object.values(byKind).reduce((x, y) => x + y, 0);
  const perSession = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round(v / count)]));
  const rendered = Number(trial.detail.rendered) || 1;
  const encoded = Number(trial.detail.encoded) || 1;
  const perFrame = Object.fromEntries(
    Object.entries(byKind).map(([k, v]) => [
      k,
      Number(((v * seconds) / (k === 'webrtc' ? encoded : rendered)).toFixed(3)),
    ]),
  );
  const row = {
    sessions: count,
    cpuMsPerSecondPerSession: Math.round(total / count),
    perSession,
    /** CPU ms per frame rendered (webrtc: per frame encoded), by thread kind. */
    perFrame,
    // How long threads of each kind waited, runnable, for a core (ms per second, all threads of the kind).
    runQueueWaitMsPerSecond: Object.fromEntries(
      Object.entries(waitByKind).map(([k, v]) => [k, Math.round(v)]),
    ),
    mainGcPerSecond: Number((gcCount / seconds).toFixed(1)),
    mainGcMsPerSecond: Number((gcMs / seconds).toFixed(1)),
    threads: Object.fromEntries(Object.entries(byComm).map(([k, v]) => [k, Math.round(v)])),
    ok: trial.ok,
    detail: trial.detail,
  };
  console.error(JSON.stringify(row));
  results.push(row);
}
await pool?.close();
console.log(JSON.stringify({ renderer: parts.renderer, warm, results }));
process.exit(0);
