/**
 * The avatar turns rtc-node's log capture off: with it on, every Rust and libwebrtc record (trace level) became
 * an FFI event handed to every room of the process, thousands a second with a few receiving rooms
 * (bench/livekit-first-frame.ts). Here an avatar and a viewer share this process while media flows, and no log
 * event reaches JavaScript, while the room's own events still do.
 */
import type { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { waitFor } from './avatar-harness.js';
import { useTestRooms } from './test-rooms.js';

const rooms = useTestRooms();

type FfiEvent = { message: { case?: string } };

describe("rtc-node's log capture in the avatar's process", () => {
  it('is off once an avatar has joined: no log events while video flows, room events still arrive', async () => {
    const room = rooms.newRoom();
    await rooms.avatarIn(room);
    // rtc-node keeps its one FFI client in this global and does not export it.
    const client = (globalThis as { _ffiClientInstance?: EventEmitter })._ffiClientInstance;
    expect(client, "rtc-node's FFI client").toBeDefined();
    const kinds = new Map<string, number>();
    const count = (event: FfiEvent) => {
      const kind = event.message.case ?? '?';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    };
    client!.prependListener('ffi_event', count);
    try {
      const viewer = await rooms.subscriberIn(room);
      await waitFor('20 video frames at the viewer', () => viewer.videoFrames[19], 10_000);
      expect(kinds.get('logs') ?? 0, JSON.stringify([...kinds])).toBe(0);
      expect(kinds.get('roomEvent') ?? 0, 'room events still reach JavaScript').toBeGreaterThan(0);
    } finally {
      client!.off('ffi_event', count);
    }
  }, 60_000);
});
