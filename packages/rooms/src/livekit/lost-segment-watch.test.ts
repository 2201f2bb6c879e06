import { describe, expect, it } from 'vitest';
import { LostSegmentWatch } from './lost-segment-watch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agent's state and what we owe, as a test sets them (the real room is in e2e/livekit). */
function watch() {
  const world = { state: 'listening' as string | undefined, owing: false, reports: 0 };
  const lost = new LostSegmentWatch({
    agentState: () => world.state,
    owing: () => world.owing,
    report: () => world.reports++,
    graceMs: 60,
    watchMs: 300,
    pollMs: 10,
  });
  return { world, lost };
}

describe('LostSegmentWatch', () => {
  it('reports once when the agent says speaking for the whole grace after a rejoin, owing nothing', async () => {
    const { world, lost } = watch();
    world.state = 'speaking';
    lost.rejoined();
    await sleep(40);
    expect(world.reports).toBe(0);
    await sleep(150);
    expect(world.reports).toBe(1);
    await sleep(100);
    expect(world.reports).toBe(1);
    // The report was that segment's: a clear_buffer afterwards reports nothing more.
    expect(lost.clearedOwingNothing()).toBe(false);
  });

  it('reports nothing without a rejoin, for an agent that is not speaking, or once a stream arrived', async () => {
    const { world, lost } = watch();
    world.state = 'speaking';
    await sleep(100);
    expect(world.reports).toBe(0);
    world.state = 'listening';
    lost.rejoined();
    await sleep(100);
    expect(world.reports).toBe(0);
    world.state = 'speaking';
    lost.streamOpened(); // the agent's new segment: the state is about it
    await sleep(100);
    expect(world.reports).toBe(0);
    expect(lost.clearedOwingNothing()).toBe(false);
  });

  it('waits while a report is owed or unanswered, and starts the grace again after it', async () => {
    const { world, lost } = watch();
    world.state = 'speaking';
    world.owing = true;
    lost.rejoined();
    await sleep(100);
    expect(world.reports).toBe(0);
    world.owing = false;
    await sleep(30);
    // The agent's state follows our last report: it stops speaking before the grace ends.
    world.state = 'listening';
    await sleep(100);
    expect(world.reports).toBe(0);
    lost.close();
  });

  it('past the watch only a clear_buffer owing nothing reports the lost segment, once', async () => {
    const { world, lost } = watch();
    lost.rejoined();
    await sleep(350);
    world.state = 'speaking';
    await sleep(100);
    expect(world.reports).toBe(0);
    expect(lost.clearedOwingNothing()).toBe(true);
    expect(lost.clearedOwingNothing()).toBe(false);
  });
});
