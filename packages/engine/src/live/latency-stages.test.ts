// The latency breakdown of speech arrival → frame at the outputs: one sample per stage for each measured frame,
// adding up to the end-to-end figure, with the worker's lip-sync wait in its own stage.
import { afterEach, describe, expect, it } from 'vitest';
import { LATENCY_STAGES } from '../pipeline/output-processor.js';
import { SessionPipeline } from '../pipeline/session-pipeline.js';
import { createEasingTestAnimator } from '../pipeline/testing/easing-test-animator.js';
import { solidColourRendererSpec } from '../pipeline/testing/solid-colour-renderer.js';
import { audioLipSyncSpec } from './lipsync-spec.js';

let session: SessionPipeline | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function speechLike(ms: number): Int16Array {
  return Int16Array.from({ length: ms * 16 }, (_, i) =>
    Math.round(6000 * Math.sin(i / 7) * (0.6 + 0.4 * Math.sin(i / 900))),
  );
}

describe('speech arrival → frame: the per-stage breakdown', () => {
  it('splits each measured frame into stages that add up to its latency', async () => {
    session = await SessionPipeline.start({
      renderer: solidColourRendererSpec({ width: 32, height: 24, costMs: 3 }),
      animator: createEasingTestAnimator({ ease: 1 }),
      lipSyncInWorker: audioLipSyncSpec(),
    });
    for (let i = 0; i < 3; i++) {
      session.pushAudio(speechLike(400), { segmentId: `s${i}` });
      session.endSegment(`s${i}`);
      await session.whenIdle();
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    const { audioToFrameMs, audioToFrameStagesMs } = session.stats.output;
    expect(audioToFrameMs).toHaveLength(3);
    for (const stage of LATENCY_STAGES) expect(audioToFrameStagesMs[stage]).toHaveLength(3);
    for (const [i, total] of audioToFrameMs.entries()) {
      const sum = LATENCY_STAGES.reduce((acc, stage) => acc + audioToFrameStagesMs[stage][i]!, 0);
      expect(sum).toBeCloseTo(total, 6);
    }
    // The renderer's own 3 ms is the render stage; waiting for the tick is at most a frame (plus a loaded loop).
    expect(Math.min(...audioToFrameStagesMs.render)).toBeGreaterThanOrEqual(2.5);
    expect(Math.min(...audioToFrameStagesMs.tickToPlayed)).toBeGreaterThanOrEqual(0);
    // Its tick may run early (due → tick < 0), but the frame leaves no earlier than it is due (1 ms: timers).
    for (const [i, total] of audioToFrameMs.entries()) {
      const dueAfterArrival =
        audioToFrameStagesMs.arrivalToComplete[i]! + audioToFrameStagesMs.completeToDue[i]!;
      expect(total).toBeGreaterThanOrEqual(dueAfterArrival - 1);
    }
  });
});
