import { afterEach, describe, expect, it } from 'vitest';
import { NodeViewer } from '../testing/node-viewer.js';
import { startTestSource } from '../testing/test-pattern.js';
import type { EmptySinceEvent, ViewerJoinedEvent, ViewerLeftEvent } from '../transport.js';
import { RoomHub } from './room-hub.js';

const token = (room: string) => `token-for-${room}`;
const activeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('BuiltinRoom', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  function setup(emptyTimeoutMs = 30_000) {
    const hub = new RoomHub({
      verifyToken: (room, t) => t === token(room),
      loopbackOnly: true,
      emptyTimeoutMs,
    });
    cleanups.push(() => hub.closeAll());
    return hub;
  }

  async function connectViewer(
    hub: RoomHub,
    room: string,
    options: { microphone?: boolean } = {},
  ): Promise<NodeViewer> {
    const viewer = new NodeViewer(options);
    cleanups.push(() => viewer.close());
    await viewer.join(hub, room, token(room));
    await viewer.waitForState('connected');
    return viewer;
  }

  it('reports viewers joining and leaving, and since when it is empty, then times out empty', async () => {
    const hub = setup(400);
    const room = hub.create('events');
    const joined: ViewerJoinedEvent[] = [];
    const left: ViewerLeftEvent[] = [];
    const empty: EmptySinceEvent[] = [];
    const timeouts: number[] = [];
    room.on('viewer-joined', (e) => joined.push(e));
    room.on('viewer-left', (e) => left.push(e));
    room.on('empty-since', (e) => empty.push(e));
    room.on('empty-timeout', () => timeouts.push(Date.now()));
    expect(room.emptySince).toBeNull();

    const a = await connectViewer(hub, 'events');
    await until(() => joined.length === 1);
    const b = await connectViewer(hub, 'events');
    await until(() => joined.length === 2);
    expect(joined.map((e) => e.viewers)).toEqual([1, 2]);
    expect(room.viewerCount).toBe(2);

    room.removeViewer(joined[0]!.viewerId);
    expect(left).toMatchObject([{ viewerId: joined[0]!.viewerId, viewers: 1, reason: 'left' }]);
    expect(empty).toHaveLength(0);
    const beforeEmpty = Date.now();
    room.removeViewer(joined[1]!.viewerId);
    expect(empty).toHaveLength(1);
    expect(empty[0]!.sinceMs).toBeGreaterThanOrEqual(beforeEmpty);
    expect(room.emptySince).toBe(empty[0]!.sinceMs);

    // A viewer coming back within the timeout cancels it.
    await sleep(150);
    a.close();
    b.close();
    await connectViewer(hub, 'events');
    await until(() => joined.length === 3);
    expect(room.emptySince).toBeNull();
    await sleep(500);
    expect(timeouts).toHaveLength(0);

    room.removeViewer(joined[2]!.viewerId);
    const emptyAt = room.emptySince!;
    await until(() => timeouts.length === 1, 2_000);
    expect(timeouts[0]! - emptyAt).toBeGreaterThanOrEqual(390);
    expect(timeouts[0]! - emptyAt).toBeLessThan(1_000);
  });

  it('never reports empty before anyone joined', async () => {
    const hub = setup(50);
    const room = hub.create('lonely');
    const events: string[] = [];
    room.on('empty-since', () => events.push('empty-since'));
    room.on('empty-timeout', () => events.push('empty-timeout'));
    await sleep(200);
    expect(events).toEqual([]);
    expect(room.emptySince).toBeNull();
  });

  it('sends the same stream to two viewers at once, each decoding about 25 fps at the pushed size', async () => {
    const hub = setup();
    const room = hub.create('pair');
    const stop = startTestSource(room, { width: 320, height: 240 });
    cleanups.push(stop);
    const [a, b] = await Promise.all([connectViewer(hub, 'pair'), connectViewer(hub, 'pair')]);
    await sleep(500);
    const start = [a.framesDecoded, b.framesDecoded];
    await sleep(2_000);
    const fps = [(a.framesDecoded - start[0]!) / 2, (b.framesDecoded - start[1]!) / 2];
    expect(fps[0]).toBeGreaterThan(20);
    expect(fps[1]).toBeGreaterThan(20);
    expect(a.lastFrameSize).toEqual({ width: 320, height: 240 });
    expect(b.lastFrameSize).toEqual({ width: 320, height: 240 });
    expect(room.viewerCount).toBe(2);
  });

  it('closing the room closes every peer, stops the media and leaves no timer behind', async () => {
    const timersBefore = activeTimeouts();
    const hub = setup(60_000);
    const room = hub.create('closing');
    const stop = startTestSource(room, { width: 320, height: 240 });
    const viewers = await Promise.all([connectViewer(hub, 'closing'), connectViewer(hub, 'closing')]);
    await until(() => viewers.every((v) => v.framesDecoded > 5));
    // One viewer leaves so the empty timer is not running; one is still pending (offered, never connected).
    const pending = new NodeViewer();
    cleanups.push(() => pending.close());
    await room.addViewer(await pending.offer());
    expect(room.stats().pendingViewers).toBe(1);

    const left: ViewerLeftEvent[] = [];
    let closed = 0;
    room.on('viewer-left', (e) => left.push(e));
    room.on('closed', () => closed++);
    stop();
    // The room's own timers right now: the media pacer's tick and the pending viewer's connect deadline.
    const timersOpen = activeTimeouts();
    room.close();
    expect(timersOpen - activeTimeouts()).toBe(2);
    room.close();
    expect(closed).toBe(1);
    expect(left.map((e) => e.reason)).toEqual(['room-closed', 'room-closed']);
    expect(room.viewerCount).toBe(0);
    expect(hub.get('closing')).toBeUndefined();
    await expect(room.addViewer(await new NodeViewer().offer())).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });
    // Frames stop arriving and nothing of the room keeps the event loop busy.
    const frames = viewers.map((v) => v.framesDecoded);
    await sleep(400);
    expect(viewers.map((v) => v.framesDecoded)).toEqual(frames);
    room.writeVideo({ width: 2, height: 2, format: 'i420', data: new Uint8Array(6), ptsMs: 0 });
    for (const v of viewers) v.close();
    pending.close();
    await sleep(50);
    expect(activeTimeouts()).toBeLessThanOrEqual(timersBefore);
  });

  it('takes RGBA or I420 frames and refuses frames whose size and data disagree', async () => {
    const hub = setup();
    const room = hub.create('frames');
    room.writeVideo({ width: 4, height: 4, format: 'rgba', data: new Uint8Array(64), ptsMs: 0 });
    room.writeVideo({ width: 4, height: 4, format: 'i420', data: new Uint8Array(24), ptsMs: 40 });
    let recycled = 0;
    room.writeVideo({
      width: 4,
      height: 4,
      format: 'i420',
      data: new Uint8Array(24),
      ptsMs: 80,
      transferred: true,
      recycle: () => recycled++,
    });
    await until(() => room.stats().videoSent === 2);
    // A transferred frame's buffer goes back to its producer once libwebrtc has taken its copy.
    await until(() => recycled === 1);
    expect(() =>
      room.writeVideo({ width: 5, height: 4, format: 'i420', data: new Uint8Array(30), ptsMs: 80 }),
    ).toThrow(RangeError);
    expect(() =>
      room.writeVideo({ width: 4, height: 4, format: 'rgba', data: new Uint8Array(24), ptsMs: 80 }),
    ).toThrow(/needs 64 bytes/);
    expect(() => room.writeAudio({ pcm: new Int16Array(160), sampleRate: 4000, ptsMs: 0 })).toThrow(
      RangeError,
    );
  });

  it('hands up the microphone of a viewer that sends audio, and nothing from send-only viewers', async () => {
    const hub = setup();
    const room = hub.create('mic');
    const heard: { viewerId: string; samples: Int16Array; sampleRate: number }[] = [];
    const joined: string[] = [];
    room.on('viewer-joined', (e) => joined.push(e.viewerId));
    room.on('viewer-audio', (e) => heard.push(e));
    await connectViewer(hub, 'mic');
    await until(() => joined.length === 1);
    const talker = await connectViewer(hub, 'mic', { microphone: true });
    await until(() => joined.length === 2);
    // A 440 Hz tone, 600 ms: Opus carries it; the room hands back PCM at libwebrtc's decode rate.
    const tone = Int16Array.from({ length: 9_600 }, (_, i) =>
      Math.round(8_000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)),
    );
    await talker.say(tone).done;
    await until(() => heard.some((e) => e.samples.some((v) => Math.abs(v) > 2_000)), 5_000);
    expect(new Set(heard.map((e) => e.viewerId))).toEqual(new Set([joined[1]]));
    const loud = heard.filter((e) => e.samples.some((v) => Math.abs(v) > 2_000));
    expect(loud[0]!.sampleRate).toBeGreaterThanOrEqual(16_000);
    const seconds = loud.reduce((n, e) => n + e.samples.length / e.sampleRate, 0);
    expect(seconds).toBeGreaterThan(0.3);
    expect(seconds).toBeLessThan(1.5);
  });
});
