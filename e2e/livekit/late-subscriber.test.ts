/**
 * Every viewer sees the avatar, whenever it joins: one already in the room when the avatar publishes, one that
 * joins after (the SFU must get a keyframe from the avatar for it: a PLI the avatar's encoder answers), one
 * that joins a second later, and one that leaves and comes back (a page reload). Each decodes a first frame
 * within 2 s, in each of three rooms. bench:livekit's viewers missing first frames (issue 12) were the
 * subscriber's process, not the avatar (bench/livekit-first-frame.ts); this holds the avatar's side of it.
 */
import { describe, expect, it } from 'vitest';
import { type Subscriber, waitFor } from './avatar-harness.js';
import { useTestRooms } from './test-rooms.js';

const rooms = useTestRooms();
const FIRST_FRAME_MS = 2000;

/** ms from `since` (performance.now) to the subscriber's first decoded frame; bounded at 10 s. */
async function firstFrameMs(subscriber: Subscriber, since: number): Promise<number> {
  const first = await waitFor('a first video frame', () => subscriber.videoFrames[0], 10_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}; the viewer saw: ${subscriber.events.join(' | ')}`);
    },
  );
  return first.at - since;
}

describe('a viewer joining the avatar room at any time', () => {
  it('gets a first frame within 2 s: before the publish, right after, a second later, and after a rejoin', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const room = rooms.newRoom();
      const before = await rooms.subscriberIn(room, 'before');
      await rooms.avatarIn(room);
      // avatarIn resolves once both tracks are published.
      const publishedAt = performance.now();
      const after = await rooms.subscriberIn(room, 'after');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const late = await rooms.subscriberIn(room, 'late');
      const waits = {
        before: await firstFrameMs(before, publishedAt),
        after: await firstFrameMs(after, after.joinedAt),
        late: await firstFrameMs(late, late.joinedAt),
      };
      await after.close();
      const again = await rooms.subscriberIn(room, 'after');
      const rejoin = await firstFrameMs(again, again.joinedAt);
      for (const [viewer, ms] of Object.entries({ ...waits, rejoin }))
        expect(ms, `${viewer} viewer, attempt ${attempt + 1}`).toBeLessThan(FIRST_FRAME_MS);
    }
  }, 90_000);
});
