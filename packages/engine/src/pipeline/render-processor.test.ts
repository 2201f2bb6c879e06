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
    expect(render.stats.dropped).toBe(2);
  });
});
