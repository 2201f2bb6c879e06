import { describe, expect, it } from 'vitest';
import { LipSyncProcessor } from './lip-sync-processor.js';
import type { RemoteLipSync } from './ports.js';

describe('LipSyncProcessor with a remote lip-sync', () => {
  it('tells the worker when each slice plays: after the speech queued ahead of it', () => {
    const sent: { samples: number; startsInMs: number | undefined }[] = [];
    const remote: RemoteLipSync = {
      push: (pcm, startsInMs) => {
        sent.push({ samples: pcm.length, startsInMs });
        return Promise.resolve([]);
      },
      flush: () => Promise.resolve([]),
      reset: () => Promise.resolve(),
    };
    // 1 s was queued before; the queue then holds this 400 ms too when the slices go out.
    const lipSync = new LipSyncProcessor(undefined, remote, () => 1400);
    lipSync.push({ kind: 'segment-start', segmentId: 's', hasMouth: false });
    lipSync.push({ kind: 'audio', pcm: new Int16Array(6400), sampleRate: 16000, ptsMs: 0, segmentId: 's' });
    expect(sent).toEqual([
      { samples: 2560, startsInMs: 1000 },
      { samples: 2560, startsInMs: 1160 },
      { samples: 1280, startsInMs: 1320 },
    ]);
  });

  it('lets a frame wait for the slice that brings its audio, not for the rest of the burst', async () => {
    const answers: (() => void)[] = [];
    const remote: RemoteLipSync = {
      push: () => new Promise((resolve) => answers.push(() => resolve([]))),
      flush: () => Promise.resolve([]),
      reset: () => Promise.resolve(),
    };
    const lipSync = new LipSyncProcessor(undefined, remote, () => 0);
    lipSync.push({ kind: 'segment-start', segmentId: 's', hasMouth: false });
    // 1 s at once (a TTS burst): seven slices of 160 ms asked.
    lipSync.push({ kind: 'audio', pcm: new Int16Array(16_000), sampleRate: 16000, ptsMs: 0, segmentId: 's' });
    expect(answers).toHaveLength(7);
    const settled: string[] = [];
    void lipSync.pendingFor('s', 0)?.then(() => settled.push('frame 0'));
    // Frame 10 (400–440 ms) needs the audio to 520 ms (two frames to spare): the fourth slice (480–640 ms).
    void lipSync.pendingFor('s', 10)?.then(() => settled.push('frame 10'));
    void lipSync.pendingFor('s')?.then(() => settled.push('all'));
    const answer = async (n: number) => {
      for (const resolve of answers.splice(0, n)) resolve();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await answer(1);
    expect(settled).toEqual(['frame 0']);
    await answer(2);
    expect(settled).toEqual(['frame 0']);
    await answer(1);
    expect(settled).toEqual(['frame 0', 'frame 10']);
    // Answered already: nothing to wait for.
    expect(lipSync.pendingFor('s', 5)).toBeUndefined();
    await answer(3);
    expect(settled).toEqual(['frame 0', 'frame 10', 'all']);
  });
});
