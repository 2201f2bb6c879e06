/**
 * @module Test helper: a real WebRTC viewer (libwebrtc's `NodeViewer`) joined to a built-in room through the
 * server's WHEP route, as a browser on the room page joins it.
 */
import { NodeViewer } from '@agenthuman/rooms/testing';
import { expect } from 'vitest';

export async function joinRoomOverWhep(
  baseUrl: string,
  room: { name: string; token: string },
  options: { viewer?: NodeViewer; connectTimeoutMs?: number } = {},
): Promise<{ viewer: NodeViewer; location: string }> {
  const viewer = options.viewer ?? new NodeViewer();
  const res = await fetch(`${baseUrl}/rooms/${room.name}/whep`, {
    method: 'POST',
    headers: { authorization: `Bearer ${room.token}`, 'content-type': 'application/sdp' },
    body: await viewer.offer(),
  });
  expect(res.status).toBe(201);
  await viewer.pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  await viewer.waitForState('connected', options.connectTimeoutMs);
  // The viewer's resource (DELETE leaves the room).
  return { viewer, location: res.headers.get('location') ?? '' };
}
