import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import type { RenderLane } from '../workers/render-lane.js';
import { RenderProcessor } from './render-processor.js';

/** A lane whose renders never finish (a busy worker): only what the processor sends or drops matters here. */
function busyLane(sent: number[]): RenderLane {
  return {
    render: (_params: unknown, ptsMs: number) => {
      sent.push(ptsMs);
      return new Promise(() => {});
    },
  } as unknown as RenderLane;
}

describe('RenderProcessor', () => {
  it('drops a frame past the in-flight cap, but lets a frame not yet due wait behind one more', () => {
    const sent: number[] = [];
    const render = new RenderProcessor({
      lane: busyLane(sent),
      maxInFlight: 1,
      // Frames from pts 80 on belong to a tick run early: not due yet.
      isAhead: (ptsMs) => ptsMs >= 80,
    });
    for (const ptsMs of [0, 40, 80, 120])
      render.push({ kind: 'params', params: restFace, ptsMs, speaking: ptsMs >= 80 });
    expect(sent).toEqual([0, 80]);
    expect(render.stats).toMatchObject({ dropped: 2, droppedBusy: 2, droppedBehind: 0, droppedSpeaking: 1 });
  });

  it('counts a frame behind its tick and one the worker skipped as dropped, each by its cause', async () => {
    const sent: number[] = [];
    const lane = {
      // The worker reached pts 40 past its skipAfter and answered without drawing it.
      render: (
        _params: unknown,
        ptsMs: number,
        _speaking: boolean,
        _deadline: unknown,
        skipAfter: unknown,
      ) => {
        sent.push(ptsMs);
        expect(skipAfter).toBe(ptsMs + 80);
        return Promise.resolve(undefined);
      },
    } as unknown as RenderLane;
    const render = new RenderProcessor({
      lane,
      isBehind: (ptsMs) => ptsMs === 0,
      skipAfterOf: (ptsMs) => ptsMs + 80,
    });
    const out: unknown[] = [];
    render.onFrame((frame) => void out.push(frame));
    render.push({ kind: 'params', params: restFace, ptsMs: 0, speaking: false });
    render.push({ kind: 'params', params: restFace, ptsMs: 40, speaking: true });
    await render.whenIdle();
    expect(sent).toEqual([40]);
    expect(out).toEqual([]);
    expect(render.stats).toMatchObject({
      dropped: 2,
      droppedBusy: 0,
      droppedBehind: 1,
      droppedStale: 1,
      droppedSpeaking: 1,
      rendered: 0,
    });
  });

  it("keeps each reply's first renders and each drop's pts and cause (drops at a reply's start can be told)", async () => {
    let renderMs = 0;
    const lane = {
      // Each frame took 1 ms longer than the one before: the reply's figures show which frames they summed.
      render: (_params: unknown, ptsMs: number) =>
        Promise.resolve({ frame: { ptsMs, data: new Uint8Array(0) }, renderMs: ++renderMs }),
    } as unknown as RenderLane;
    const render = new RenderProcessor({ lane, isBehind: (ptsMs) => ptsMs === 480 });
    const speakingAt = (ptsMs: number) => (ptsMs >= 40 && ptsMs < 440) || ptsMs >= 480;
    for (let ptsMs = 0; ptsMs <= 520; ptsMs += 40) {
      render.push({ kind: 'params', params: restFace, ptsMs, speaking: speakingAt(ptsMs) });
      await render.whenIdle();
    }
    const { replies, drops } = render.stats;
    // First reply: frames 40–400 (renders 2..11 ms), its first 8 summed; the second starts with a dropped frame.
    expect(replies).toEqual([
      { startPtsMs: 40, firstRenderMs: 2, startRenderMs: 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9, startFrames: 8 },
      { startPtsMs: 480, firstRenderMs: 13, startRenderMs: 13, startFrames: 1 },
    ]);
    expect(drops).toEqual([{ ptsMs: 480, cause: 'behind', speaking: true }]);
  });
});
