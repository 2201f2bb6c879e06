/** @module The render worker thread: holds one renderer per lane and renders frames off the main thread. */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type { PixelFormat, Renderer, VideoFrame } from '../render/renderer.js';
import { PoseWarmer } from './pose-warmer.js';
import type { FromWorker, ToWorker } from './render-protocol.js';
import { absNow, trace, tracing } from './render-trace.js';
import type { RendererSpec } from './renderer-spec.js';
import { LipSyncJobs } from './worker-lipsync.js';

interface Lane {
  format: PixelFormat;
  renderer: Renderer | undefined;
  ready: Promise<Renderer | undefined>;
  closed: boolean;
}

const port = parentPort;
if (!port) throw new Error('render-worker.ts must run in a worker thread');
const lanes = new Map<number, Lane>();
const lipSyncs = new LipSyncJobs(
  (laneId, seq, keyframes, analyseMs) => {
    if (tracing) trace({ k: 'ls', t: absNow() - analyseMs, lane: laneId, ms: analyseMs });
    post({ type: 'mouth', laneId, seq, keyframes, analyseMs });
  },
  (laneId, seq, message) => post({ type: 'failed', laneId, seq, message, lipSync: true }),
  // Lip-sync far ahead of play-out waits while frames are waiting to be drawn.
  () => queued.length > 0,
);
/** No pose is warmed until the thread has drawn no speech frame for this long (a reply's pauses are shorter). */
const SPEECH_QUIET_MS = 400;
/** When this thread last drew a speech frame (performance.now()). */
let lastSpeechAt = Number.NEGATIVE_INFINITY;
/**
 * Poses of the lanes' avatars drawn ahead while nothing else waits and no session on the thread speaks: drawn
 * during a reply, a warm pose (10–60 ms on a loaded machine) held up its frames and took the CPU its process
 * needed (bench:livekit's first session dropped 1–13 frames with the warm-up running through its reply, 0
 * without), so a reply draws what it lacks as before and the rest is warmed in the pauses.
 */
const warmer = new PoseWarmer(
  () => draining || lipSyncs.waiting || performance.now() - lastSpeechAt < SPEECH_QUIET_MS,
);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'open':
      open(message.laneId, message.spec, message.format, message.lipSync, message.warmPoses);
      return;
    case 'lipsync':
      lipSyncs.submit(
        message.laneId,
        message.seq,
        message.op,
        message.pcm,
        message.deadline,
        message.notBefore,
      );
      return;
    case 'render': {
      const lane = lanes.get(message.laneId);
      if (!lane) return fail(message.laneId, message.seq, 'lane is not open');
      if (lane.renderer) enqueue(lane, message);
      // Renders that arrive while the renderer loads run in order once it is ready.
      else void lane.ready.then(() => enqueue(lane, message));
      return;
    }
    case 'close': {
      const lane = lanes.get(message.laneId);
      lanes.delete(message.laneId);
      lipSyncs.close(message.laneId);
      warmer.remove(message.laneId);
      if (lane) {
        lane.closed = true;
        void lane.ready.then((renderer) => renderer?.close());
      }
      return;
    }
  }
});

type RenderMessage = Extract<ToWorker, { type: 'render' }>;

/**
 * Render requests not yet drawn, in arrival order. They are drawn in turns of this thread's event loop (at most
 * DRAIN_TURN_MS each), so the requests that arrived meanwhile are seen before the next turn chooses: speech frames before idle ones (a
 * session that just got speech does not wait behind the idle frames of its neighbours, which pile up late when
 * the worker is behind), earliest deadline first within each (sessions' clocks are not in phase, and a tick
 * run early sends its frame up to a frame before it is due), and each lane's own frames keep their order.
 */
const queued: { lane: Lane; message: RenderMessage; deadline: number; at: number }[] = [];
let draining = false;
/**
 * How long one turn of this thread may draw before it lets messages in. One frame per turn (with the choice made
 * afresh each time) cost a session of capacity: bench:live held 13 sessions in 0 of 4 runs against 2 of 2 for a
 * turn that draws what was queued at its start within this budget; a speech frame arriving meanwhile waits at most
 * about this long.
 */
const DRAIN_TURN_MS = 8;

function enqueue(lane: Lane, message: RenderMessage): void {
  // Without a deadline (rendering to a file) a frame counts as due when it arrives.
  const deadline = message.deadline ?? performance.timeOrigin + performance.now();
  queued.push({ lane, message, deadline, at: performance.now() });
  if (draining) return;
  draining = true;
  setImmediate(drain);
}

function drain(): void {
  const started = performance.now();
  const until = started + DRAIN_TURN_MS;
  const waiting = queued.length;
  for (let n = queued.length; n > 0 && performance.now() < until; n--) {
    const next = takeNext();
    if (!next) continue;
    const { skipAfter } = next.message;
    if (skipAfter !== undefined && performance.timeOrigin + performance.now() > skipAfter) skip(next.message);
    else render(next.lane, next.message, next.at);
  }
  if (tracing)
    trace({ k: 'turn', t: absNow(started), ms: performance.now() - started, waiting, left: queued.length });
  if (queued.length > 0) setImmediate(drain);
  else {
    draining = false;
    // Nothing left to draw: the lip-sync put off meanwhile may run, then poses are warmed.
    lipSyncs.resume();
    warmer.resume();
  }
}

/** Of the requests next in their lane: speech first, then the earliest deadline (the first such on a tie). */
function takeNext(): (typeof queued)[number] | undefined {
  const seen = new Set<Lane>();
  let best: (typeof queued)[number] | undefined;
  let bestAt = -1;
  for (const [i, item] of queued.entries()) {
    if (seen.has(item.lane)) continue;
    seen.add(item.lane);
    const speechFirst = best && !!item.message.speaking !== !!best.message.speaking;
    if (!best || (speechFirst ? item.message.speaking : item.deadline < best.deadline)) {
      best = item;
      bestAt = i;
    }
  }
  return best ? queued.splice(bestAt, 1)[0] : undefined;
}

function open(
  laneId: number,
  spec: RendererSpec,
  format: PixelFormat,
  lipSync?: RendererSpec,
  warmPoses?: boolean,
): void {
  const lane: Lane = { format, renderer: undefined, ready: Promise.resolve(undefined), closed: false };
  const building = lipSync ? lipSyncs.open(laneId, lipSync) : undefined;
  lane.ready = Promise.all([createRenderer(spec), building]).then(
    ([renderer]) => {
      lane.renderer = renderer;
      if (!lane.closed) {
        post({ type: 'opened', laneId, width: renderer.width, height: renderer.height });
        if (warmPoses) warmer.add(laneId, renderer);
      }
      return renderer;
    },
    (error: unknown) => {
      fail(
        laneId,
        undefined,
        `could not create renderer ${spec.export} from ${spec.module} (${format}): ${messageOf(error)}`,
      );
      lanes.delete(laneId);
      lipSyncs.close(laneId);
      return undefined;
    },
  );
  lanes.set(laneId, lane);
}

async function createRenderer(spec: RendererSpec): Promise<Renderer> {
  const module = (await import(spec.module)) as Record<string, unknown>;
  const factory = module[spec.export];
  if (typeof factory !== 'function')
    throw new Error(`${spec.module} has no function export "${spec.export}"`);
  return (await factory(spec.options)) as Renderer;
}

function render(lane: Lane, message: RenderMessage, arrivedAt: number): void {
  if (lane.closed || !lane.renderer) return;
  try {
    const started = performance.now();
    const renderer = lane.renderer;
    const rendered = renderer.renderView
      ? renderer.renderView(message.params, message.ptsMs, lane.format)
      : renderer.render(message.params, message.ptsMs, lane.format);
    // A renderer may reuse its output buffer between frames, so the frame travels in a copy we own and transfer:
    // into the buffer the lane sent back from an earlier frame when it has one, so no frame allocates.
    const data =
      message.buffer?.byteLength === rendered.data.byteLength
        ? new Uint8Array(message.buffer)
        : new Uint8Array(rendered.data.byteLength);
    data.set(rendered.data);
    const frame: VideoFrame = { ...rendered, data, ptsMs: message.ptsMs, transferred: true };
    const renderMs = performance.now() - started;
    if (message.speaking) lastSpeechAt = started;
    if (tracing) traceFrame(renderer, message, arrivedAt, started, renderMs);
    port!.postMessage(
      { type: 'frame', laneId: message.laneId, seq: message.seq, frame, renderMs } satisfies FromWorker,
      [data.buffer],
    );
  } catch (error) {
    fail(message.laneId, message.seq, messageOf(error));
  }
}

/** One drawn frame: its timing, the pose cache's answer (CpuRenderer's counters) and what the face was doing. */
function traceFrame(
  renderer: Renderer,
  message: RenderMessage,
  arrivedAt: number,
  started: number,
  renderMs: number,
): void {
  const cache = (renderer as { stats?: () => { poseCache?: Record<string, number> } }).stats?.().poseCache;
  const { params: p } = message;
  trace({
    k: 'frame',
    lane: message.laneId,
    pts: message.ptsMs,
    sp: message.speaking ? 1 : 0,
    at: absNow(arrivedAt),
    t: absNow(started),
    dl: message.deadline,
    ms: renderMs,
    pose: p.pose?.frame,
    idle: p.idleFrame,
    cache,
    blink: p.blinkLeft,
    gaze: [p.gazeX ?? 0, p.gazeY ?? 0],
    brows: p.brows,
    pitch: p.headPitch,
    roll: p.headRoll,
    jaw: p.jawOpen,
    press: p.lipPress,
  });
}

function skip(message: RenderMessage): void {
  const { laneId, seq, buffer } = message;
  port!.postMessage(
    { type: 'skipped', laneId, seq, ...(buffer ? { buffer } : {}) } satisfies FromWorker,
    buffer ? [buffer] : [],
  );
}

function fail(laneId: number, seq: number | undefined, message: string): void {
  post({ type: 'failed', laneId, seq, message });
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
