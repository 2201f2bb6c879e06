// The idle state (an agent listening or thinking) reaches the animator through the live avatar, when the
// animator has idle states; an animator without them is fine, and a closed avatar ignores it.
import { createAnimator } from '@agenthuman/engine/animation';
import { type IdleState, LiveAvatar, type PipelineAnimator } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { afterAll, describe, expect, it } from 'vitest';

describe('LiveAvatar.setIdleState', () => {
  const pool = new RenderWorkerPool({ size: 1 });
  afterAll(() => pool.close());
  const avatar = { spec: solidColourRendererSpec({ width: 32, height: 24 }), seed: 3 };

  it('hands the state to an animator that has idle states, and stops once closed', async () => {
    const real = createAnimator({ seed: 3 });
    const states: IdleState[] = [];
    const animator: PipelineAnimator = {
      step: (ptsMs, mouth) => real.step(ptsMs, mouth),
      interrupt: () => real.interrupt(),
      setIdleState: (state) => states.push(state),
    };
    const live = await LiveAvatar.start({ avatar, pool, animator });
    live.setIdleState('listening');
    live.setIdleState('thinking');
    live.setIdleState('idle');
    await live.close();
    live.setIdleState('listening');
    expect(states).toEqual(['listening', 'thinking', 'idle']);
  });

  it('is a no-op with an animator that has no idle states', async () => {
    const live = await LiveAvatar.start({ avatar, pool });
    expect(() => live.setIdleState('thinking')).not.toThrow();
    await live.close();
  });
});
