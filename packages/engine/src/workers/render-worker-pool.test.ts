import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { isLiveError } from '../pipeline/live-error.js';
import { readSolidColourFrame, solidColourRendererSpec } from '../pipeline/testing/solid-colour-renderer.js';
import { RenderWorkerPool } from './render-worker-pool.js';

let pool: RenderWorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('RenderWorkerPool', () => {
  it('renders on a worker thread and returns frames in order with their pts', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const lane = await pool.openLane(solidColourRendererSpec({ width: 64, height: 48 }), { format: 'rgba' });
    const results = await Promise.all(
      [0.1, 0.5, 0.9].map((jawOpen, i) => lane.render({ ...restFace, jawOpen }, i * 40)),
    );
    expect(results.map((r) => r.frame.ptsMs)).toEqual([0, 40, 80]);
    expect(results.map((r) => Math.round(readSolidColourFrame(r.frame).jawOpen * 10))).toEqual([1, 5, 9]);
    expect(results[0]!.frame.data.length).toBe(64 * 48 * 4);
    // Each frame arrives in a buffer of its own that the worker has let go of, so sinks may keep it uncopied.
    expect(results.every((r) => r.frame.transferred === true)).toBe(true);
    expect(new Set(results.map((r) => r.frame.data.buffer)).size).toBe(3);
    expect(lane.width).toBe(64);
  });

  it('draws the next frame into a buffer handed back with recycle(), once, and never into one in use', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const lane = await pool.openLane(solidColourRendererSpec({ width: 64, height: 48 }), { format: 'rgba' });
    const first = await lane.render({ ...restFace, jawOpen: 0.2 }, 0);
    const kept = await lane.render({ ...restFace, jawOpen: 0.4 }, 40);
    first.frame.recycle?.();
    first.frame.recycle?.();
    // The recycled buffer travels back to the worker with the next request: this thread no longer owns it.
    const next = lane.render({ ...restFace, jawOpen: 0.6 }, 80);
    expect(first.frame.data.byteLength).toBe(0);
    const [a, b] = await Promise.all([next, lane.render({ ...restFace, jawOpen: 0.8 }, 120)]);
    // Recycling twice handed over one buffer, not two: both new frames and the kept one are intact and apart.
    expect([kept, a, b].map((r) => Math.round(readSolidColourFrame(r.frame).jawOpen * 10))).toEqual([
      4, 6, 8,
    ]);
    expect(new Set([kept, a, b].map((r) => r.frame.data.buffer)).size).toBe(3);
    expect(a.frame.data.length).toBe(64 * 48 * 4);
  });

  it('counts the speech frames each worker drew, past the lanes that drew them', async () => {
    pool = new RenderWorkerPool({ size: 2 });
    const spec = solidColourRendererSpec({ width: 64, height: 48 });
    const [a, b] = await Promise.all([
      pool.openLane(spec, { format: 'i420' }),
      pool.openLane(spec, { format: 'i420' }),
    ]);
    await Promise.all([a.render(restFace, 0, true), a.render(restFace, 40, true), a.render(restFace, 80)]);
    await b.render(restFace, 0);
    a.close();
    b.close();
    expect(pool.load.map((w) => [w.lanes, w.speechFrames, w.lipSyncSteps])).toEqual([
      [0, 2, 0],
      [0, 0, 0],
    ]);
  });

  it('keeps the main event loop responsive while workers render', async () => {
    pool = new RenderWorkerPool({ size: 2 });
    // 25 ms of CPU per frame: on the main thread this would block the loop for as long.
    const spec = solidColourRendererSpec({ width: 64, height: 48, costMs: 25 });
    const lanes = await Promise.all([
      pool.openLane(spec, { format: 'i420' }),
      pool.openLane(spec, { format: 'i420' }),
    ]);
    let maxLag = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 5);
      last = now;
    }, 5);
    const renders = [];
    for (let i = 0; i < 20; i++) for (const lane of lanes) renders.push(lane.render(restFace, i * 40));
    const started = performance.now();
    const busyBefore = performance.eventLoopUtilization();
    await Promise.all(renders);
    const busy = performance.eventLoopUtilization(busyBefore).utilization;
    const elapsed = performance.now() - started;
    clearInterval(probe);
    // 40 frames × 25 ms of rendering happened while this thread stayed mostly idle and kept ticking. Rendering
    // here would make it ~100% busy with 25 ms gaps; the bounds leave room for a loaded test machine.
    expect(elapsed).toBeGreaterThan(20 * 25 * 0.9);
    expect(busy).toBeLessThan(0.35);
    expect(maxLag).toBeLessThan(60);
  });

  it("draws a speech frame before other lanes' idle frames waiting at the same worker, each lane in order", async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const spec = solidColourRendererSpec({ width: 16, height: 16, costMs: 15 });
    const idle = await pool.openLane(spec, { format: 'i420' });
    const speaking = await pool.openLane(spec, { format: 'i420' });
    const done: string[] = [];
    const renders = [];
    for (let i = 0; i < 5; i++)
      renders.push(idle.render(restFace, i * 40).then(() => void done.push(`idle${i}`)));
    for (let i = 0; i < 2; i++)
      renders.push(speaking.render(restFace, i * 40, true).then(() => void done.push(`speech${i}`)));
    await Promise.all(renders);
    // At most the idle frame already being drawn goes first; the rest wait behind the speech frames.
    expect(done.indexOf('speech1')).toBeLessThanOrEqual(2);
    expect(done.filter((name) => name.startsWith('idle'))).toEqual([
      'idle0',
      'idle1',
      'idle2',
      'idle3',
      'idle4',
    ]);
    expect(done.indexOf('speech0')).toBeLessThan(done.indexOf('speech1'));
  });

  it('draws speech frames first, then the frame due first across lanes, each lane in order', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const spec = solidColourRendererSpec({ width: 16, height: 16, costMs: 15 });
    const ahead = await pool.openLane(spec, { format: 'i420' });
    const soon = await pool.openLane(spec, { format: 'i420' });
    const speech = await pool.openLane(spec, { format: 'i420' });
    const later = await pool.openLane(spec, { format: 'i420' });
    const t = performance.timeOrigin + performance.now();
    const done: string[] = [];
    const track = (name: string, rendering: Promise<unknown>) => rendering.then(() => void done.push(name));
    // The first (speech, due first) keeps the worker busy while the rest arrive; `ahead`'s frames were sent
    // early (a tick run ahead of its time), so they wait for the frames due sooner though they came first.
    const renders = [track('busy', ahead.render(restFace, 0, true, t))];
    for (let i = 0; i < 3; i++)
      renders.push(track(`ahead${i}`, ahead.render(restFace, (i + 1) * 40, false, t + 300 + i * 40)));
    for (let i = 0; i < 3; i++)
      renders.push(track(`soon${i}`, soon.render(restFace, i * 40, false, t + 100 + i * 40)));
    // Speech due after every `soon` frame still goes first; two speech lanes go by deadline.
    renders.push(track('speech1', speech.render(restFace, 0, true, t + 500)));
    renders.push(track('speech0', later.render(restFace, 0, true, t + 400)));
    await Promise.all(renders);
    expect(done).toEqual([
      'busy',
      'speech0',
      'speech1',
      'soon0',
      'soon1',
      'soon2',
      'ahead0',
      'ahead1',
      'ahead2',
    ]);
  });

  it('skips, undrawn, a request it reaches past its skipAfter, hands its buffer back and draws the rest', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const spec = solidColourRendererSpec({ width: 16, height: 16, costMs: 30 });
    const lane = await pool.openLane(spec, { format: 'rgba' });
    const first = await lane.render({ ...restFace, jawOpen: 0.1 }, 0);
    first.frame.recycle?.();
    const t = performance.timeOrigin + performance.now();
    // The first keeps the worker busy 30 ms: the second's limit passes meanwhile, the third's does not.
    const busy = lane.render({ ...restFace, jawOpen: 0.2 }, 40, true, t, t + 200);
    const late = lane.render({ ...restFace, jawOpen: 0.3 }, 80, true, t + 40, t + 10);
    const onTime = lane.render({ ...restFace, jawOpen: 0.4 }, 120, true, t + 80, t + 500);
    const [a, b, c] = await Promise.all([busy, late, onTime]);
    expect(b).toBeUndefined();
    expect([a, c].map((r) => Math.round(readSolidColourFrame(r!.frame).jawOpen * 10))).toEqual([2, 4]);
    expect(lane.inFlight).toBe(0);
    // The skipped request's buffer came back with its answer and is drawn into again.
    const next = await lane.render({ ...restFace, jawOpen: 0.5 }, 160);
    expect(next.frame.data.length).toBe(16 * 16 * 4);
  });

  it('puts a new lane on the least-loaded worker, up to the pool size', async () => {
    pool = new RenderWorkerPool({ size: 2 });
    const spec = solidColourRendererSpec({ width: 16, height: 16 });
    const lanes = [];
    for (let i = 0; i < 3; i++) lanes.push(await pool.openLane(spec, { format: 'i420' }));
    expect(pool.load.map((w) => w.lanes).sort()).toEqual([1, 2]);
    lanes[2]!.close();
    lanes[1]!.close();
    expect(pool.load.map((w) => w.lanes).sort()).toEqual([0, 1]);
    await pool.openLane(spec, { format: 'i420' });
    expect(pool.load.map((w) => w.lanes)).toEqual([1, 1]);
  });

  it('fails openLane with RENDER_FAILED when the renderer cannot be built', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const bad = { ...solidColourRendererSpec({ width: 8, height: 8 }), export: 'noSuchFactory' };
    const error = await pool.openLane(bad, { format: 'i420' }).catch((e: unknown) => e);
    expect(isLiveError(error, 'RENDER_FAILED')).toBe(true);
    expect(String(error)).toMatch(/noSuchFactory/);
  });

  it('fails pending renders with SESSION_ENDED when the pool closes', async () => {
    pool = new RenderWorkerPool({ size: 1 });
    const lane = await pool.openLane(solidColourRendererSpec({ width: 8, height: 8, costMs: 50 }), {
      format: 'i420',
    });
    const pending = lane.render(restFace, 0).catch((e: unknown) => e);
    await pool.close();
    expect(isLiveError(await pending, 'SESSION_ENDED')).toBe(true);
  });

  it('loads its TypeScript worker when started the way bin/agenthuman.js starts the app', () => {
    const poolUrl = new URL('./render-worker-pool.ts', import.meta.url).href;
    const specUrl = new URL('../pipeline/testing/solid-colour-renderer.ts', import.meta.url).href;
    const script = `
      import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
      register();
      const { RenderWorkerPool } = await import(${JSON.stringify(poolUrl)});
      const { solidColourRendererSpec } = await import(${JSON.stringify(specUrl)});
      const pool = new RenderWorkerPool({ size: 1 });
      const lane = await pool.openLane(solidColourRendererSpec({ width: 8, height: 8 }), { format: 'i420' });
      const { frame } = await lane.render({ jawOpen: 1 }, 40);
      console.log(JSON.stringify({ pts: frame.ptsMs, y: frame.data[0] }));
      await pool.close();
    `;
    const dir = mkdtempSync(join(tmpdir(), 'render-pool-'));
    const entry = join(dir, 'main.mjs');
    writeFileSync(entry, script);
    const result = spawnSync(process.execPath, [entry], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual({ pts: 40, y: 255 });
  });
});
