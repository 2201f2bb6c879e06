/**
 * A real LiveKit server for tests and benchmarks (started by the server package's test harness: the binary
 * scripts/test-peers.mjs built, dev mode on loopback, free ports, node IP given explicitly), plus the two server
 * APIs the tests need (tokens and the RoomService), written against the documented wire format.
 */
import { createHmac } from 'node:crypto';
import {
  type TestLiveKitServer as LiveKitServer,
  startLiveKitServer,
} from '@agenthuman/server/testing/livekit';

export { type LiveKitServer, startLiveKitServer };

export interface TokenOptions {
  identity: string;
  room: string;
  name?: string;
  kind?: 'standard' | 'agent';
  attributes?: Record<string, string>;
  canPublish?: boolean;
  canSubscribe?: boolean;
  ttlS?: number;
}

/** A LiveKit access token (HS256 JWT with a `video` grant), as livekit-server-sdk's AccessToken makes. */
export function mintToken(
  server: Pick<LiveKitServer, 'apiKey' | 'apiSecret'>,
  options: TokenOptions,
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: server.apiKey,
    sub: options.identity,
    nbf: now - 5,
    exp: now + (options.ttlS ?? 600),
    name: options.name ?? options.identity,
    video: {
      room: options.room,
      roomJoin: true,
      canPublish: options.canPublish ?? true,
      canSubscribe: options.canSubscribe ?? true,
      canPublishData: true,
      // Agents set lk.agent.state; LiveKit refuses attribute updates without this grant.
      canUpdateOwnMetadata: true,
    },
  };
  if (options.kind) claims.kind = options.kind;
  if (options.attributes) claims.attributes = options.attributes;
  return signJwt(claims, server.apiSecret);
}

/** Calls a RoomService method (twirp JSON), e.g. DeleteRoom {room}, RemoveParticipant {room, identity}. */
export async function roomService(
  server: LiveKitServer,
  method: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt(
    {
      iss: server.apiKey,
      nbf: now - 5,
      exp: now + 60,
      video: { roomAdmin: true, roomCreate: true, roomList: true, room: String(body.room ?? '') },
    },
    server.apiSecret,
  );
  const response = await fetch(`${server.httpUrl}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`RoomService.${method} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

function signJwt(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
