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
});
