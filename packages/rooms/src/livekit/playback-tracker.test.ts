import { afterEach, describe, expect, it } from 'vitest';
import { type PlaybackFinished, PlaybackTracker } from './playback-tracker.js';

// The audio sink's played clock, moved by hand: the tracker must wait for it, not for the pipeline.
let played: number | undefined;
const trackers: PlaybackTracker[] = [];
afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.close();
  played = undefined;
});

function tracker(options: { stuckMs?: number } = {}) {
  const events: string[] = [];
  const finished: PlaybackFinished[] = [];
  const t = new PlaybackTracker({
    ...options,
    onStuck: (id, event) => events.push(`stuck:${id}:${event.unplayedMs}`),
    playedPtsMs: () => played,
    started: (id) => events.push(`started:${id}`),
    finished: (id, event) => {
      events.push(`finished:${id}`);
      finished.push(event);
    },
    maxWaitMs: 500,
  });
  trackers.push(t);
  return { t, events, finished };
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PlaybackTracker', () => {
  it('reports started once the audio track has played the segment start, and finished once it played the end', async () => {
    const { t, events, finished } = tracker();
    played = 0;
    t.opened('a');
    t.pushed('a', 1000);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 400 });
    t.closed('a');
    await tick();
    expect(events).toEqual([]);
    played = 400;
    await tick();
    expect(events).toEqual(['started:a']);
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 1400, interrupted: false, playedMs: 1000 });
    played = 1399;
    await tick();
    expect(events).toEqual(['started:a']);
    played = 1400;
    await tick();
    expect(events).toEqual(['started:a', 'finished:a']);
    expect(finished).toEqual([{ playback_position: 1, interrupted: false }]);
  });

  it('an interrupted segment reports what the track played, not what the pipeline sent', async () => {
    const { t, finished } = tracker();
    played = 1000;
    t.opened('a');
    t.pushed('a', 3000);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 1000 });
    played = 1700; // the pipeline has sent 800 ms, 100 ms of which still sit in the track's queue
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 1800, interrupted: true, playedMs: 800 });
    t.interruptAll();
    await tick();
    expect(finished).toEqual([{ playback_position: 0.7, interrupted: true }]);
  });

  it('a clear ends every segment still owed exactly once: the queued ones at 0, the playing one last', async () => {
    const { t, events, finished } = tracker();
    played = 0;
    for (const id of ['a', 'b']) {
      t.opened(id);
      t.pushed(id, 500);
      t.closed(id);
    }
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 0 });
    played = 200;
    t.interruptAll();
    // What the pipeline reports as it drops its queue is already accounted for.
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 240, interrupted: true, playedMs: 240 });
    t.closed('a');
    await tick();
    expect(events.filter((e) => e.startsWith('finished'))).toEqual(['finished:b', 'finished:a']);
    expect(finished).toEqual([
      { playback_position: 0, interrupted: true },
      { playback_position: 0.2, interrupted: true },
    ]);
    expect(t.pending).toBe(0);
  });

  it('an empty stream finishes at 0 when it closes; a starved one only when all it pushed has played', async () => {
    const { t, finished } = tracker();
    played = 0;
    t.opened('empty');
    t.closed('empty');
    t.opened('slow');
    t.pushed('slow', 400);
    t.onSpeakingStarted({ segmentId: 'slow', ptsMs: 0 });
    t.onSpeakingStopped({ segmentId: 'slow', ptsMs: 400, interrupted: false, playedMs: 400 });
    t.pushed('slow', 400); // more audio after the pipeline's hangover ended the first part
    t.closed('slow');
    played = 2000;
    await tick();
    expect(finished).toEqual([{ playback_position: 0, interrupted: false }]);
    t.onSpeakingStarted({ segmentId: 'slow', ptsMs: 1000 });
    t.onSpeakingStopped({ segmentId: 'slow', ptsMs: 1400, interrupted: false, playedMs: 400 });
    await tick();
    expect(finished).toEqual([
      { playback_position: 0, interrupted: false },
      { playback_position: 0.8, interrupted: false },
    ]);
  });

  it('does not hang the agent when the track stalls: it reports after maxWaitMs', async () => {
    const { t, finished } = tracker();
    played = 0;
    t.opened('a');
    t.pushed('a', 200);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 0 });
    t.closed('a');
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 200, interrupted: false, playedMs: 200 });
    await tick(700);
    expect(finished).toEqual([{ playback_position: 0.2, interrupted: false }]);
  });

  it('never loses a report: a closed segment whose rest never plays is reported at what played, after stuckMs', async () => {
    const { t, events, finished } = tracker({ stuckMs: 300 });
    played = 0;
    t.opened('a');
    t.pushed('a', 400);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 0 });
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 200, interrupted: false, playedMs: 200 });
    t.closed('a'); // 200 ms of it never reaches the speaking events
    played = 400;
    await tick(150);
    expect(finished).toEqual([]);
    await tick(400);
    expect(finished).toEqual([{ playback_position: 0.2, interrupted: false }]);
    expect(events).toContain('stuck:a:200');
  });

  it('leaves a segment queued behind a playing one, or playing itself, to its speaking events', async () => {
    const { t, events, finished } = tracker({ stuckMs: 100 });
    played = 0;
    t.opened('a');
    t.pushed('a', 1000);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 0 });
    t.closed('a');
    t.opened('b');
    t.pushed('b', 200);
    t.closed('b');
    await tick(400);
    expect(finished).toEqual([]);
    played = 1000;
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 1000, interrupted: false, playedMs: 1000 });
    t.onSpeakingStarted({ segmentId: 'b', ptsMs: 1000 });
    await tick(200);
    played = 1200;
    t.onSpeakingStopped({ segmentId: 'b', ptsMs: 1200, interrupted: false, playedMs: 200 });
    await tick();
    expect(finished).toEqual([
      { playback_position: 1, interrupted: false },
      { playback_position: 0.2, interrupted: false },
    ]);
    expect(events.filter((e) => e.startsWith('stuck'))).toEqual([]);
  });

  it('a broken stream (its tail lost in a full reconnect) plays what arrived and is reported interrupted there, once', async () => {
    const { t, events, finished } = tracker();
    played = 0;
    t.opened('a');
    t.pushed('a', 1000);
    t.onSpeakingStarted({ segmentId: 'a', ptsMs: 0 });
    t.closed('a', true);
    await tick();
    expect(finished).toEqual([]); // what arrived is still playing
    played = 1000;
    t.onSpeakingStopped({ segmentId: 'a', ptsMs: 1000, interrupted: false, playedMs: 1000 });
    await tick();
    expect(finished).toEqual([{ playback_position: 1, interrupted: true }]);
    // A broken stream with nothing in it ends at once, also interrupted.
    t.opened('b');
    t.closed('b', true);
    await tick();
    expect(finished.at(-1)).toEqual({ playback_position: 0, interrupted: true });
    expect(events.filter((e) => e.startsWith('finished'))).toEqual(['finished:a', 'finished:b']);
  });
});
