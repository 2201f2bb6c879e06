import { BuiltinRoom, type BuiltinRoomOptions } from './builtin-room.js';
import { RoomError } from './room-error.js';

export type VerifyToken = (roomName: string, token: string) => boolean | Promise<boolean>;

export interface RoomHubOptions extends Omit<BuiltinRoomOptions, 'name' | 'onFrameSent'> {
  /** Supplied by the server: is `token` the signed token of room `roomName`? */
  verifyToken: VerifyToken;
}

/** A signalling request, already pulled out of whatever HTTP framework carries it. */
export interface WhepRequest {
  method: string;
  roomName: string;
  /** Present on requests to a viewer's resource (DELETE, PATCH). */
  viewerId?: string;
  /** The request path, used to build the `Location` of a new viewer resource. */
  path: string;
  authorization?: string | undefined;
  contentType?: string | undefined;
  body?: unknown;
}

export interface WhepResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function errorResponse(error: RoomError): WhepResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ success: false, error: { message: error.message, code: error.code } }),
  };
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * Every built-in room of this process, by name, and their WHEP-style signalling:
 * `POST {room}/whep` (SDP offer → 201 + SDP answer + Location), `DELETE {room}/whep/{viewer}` (leave),
 * `GET {room}/whep` (is the room still live: 200 `{state: 'live', viewers}`, or 404 once it has ended).
 * ICE is non-trickle, so PATCH answers 405.
 */
export class RoomHub {
  private readonly rooms = new Map<string, BuiltinRoom>();

  constructor(private readonly options: RoomHubOptions) {}

  create(name: string, overrides: Partial<Omit<BuiltinRoomOptions, 'name'>> = {}): BuiltinRoom {
    if (this.rooms.has(name)) throw new RoomError(409, 'ROOM_EXISTS', `room ${name} already exists`);
    const { verifyToken: _, ...defaults } = this.options;
    const room = new BuiltinRoom({ ...defaults, ...overrides, name });
    this.rooms.set(name, room);
    room.on('closed', () => {
      if (this.rooms.get(name) === room) this.rooms.delete(name);
    });
    return room;
  }

  get(name: string): BuiltinRoom | undefined {
    return this.rooms.get(name);
  }

  get size(): number {
    return this.rooms.size;
  }

  closeAll(): void {
    for (const room of [...this.rooms.values()]) room.close();
  }

  async handle(request: WhepRequest): Promise<WhepResponse> {
    try {
      return await this.route(request);
    } catch (error) {
      if (error instanceof RoomError) return errorResponse(error);
      // Never leak internals; the message is generic on purpose.
      return errorResponse(new RoomError(500, 'INTERNAL_ERROR', 'could not set up the connection'));
    }
  }

  private async route(request: WhepRequest): Promise<WhepResponse> {
    const method = request.method.toUpperCase();
    const allowed = request.viewerId === undefined ? 'GET, POST' : 'DELETE';
    if (!allowed.split(', ').includes(method)) {
      const response = errorResponse(
        new RoomError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported here; use ${allowed}`),
      );
      response.headers.allow = allowed;
      return response;
    }
    const token = bearerToken(request.authorization);
    if (!token) {
      throw new RoomError(
        401,
        'ROOM_TOKEN_REQUIRED',
        'send the room token as "Authorization: Bearer <token>"',
      );
    }
    if (!(await this.options.verifyToken(request.roomName, token))) {
      throw new RoomError(403, 'ROOM_TOKEN_INVALID', 'the room token is not valid for this room');
    }
    const room = this.rooms.get(request.roomName);
    if (!room)
      throw new RoomError(404, 'ROOM_NOT_FOUND', `room ${request.roomName} does not exist or has ended`);

    // The room page polls this to notice the end at once: a closed room's peers only time out after ~10 s.
    if (method === 'GET') {
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ state: 'live', viewers: room.viewerCount }),
      };
    }
    if (method === 'DELETE') {
      if (!room.removeViewer(request.viewerId ?? '')) {
        throw new RoomError(404, 'VIEWER_NOT_FOUND', 'this viewer has already left');
      }
      return { status: 200, headers: {}, body: '' };
    }
    const contentType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/sdp') {
      throw new RoomError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'the offer must be sent as Content-Type: application/sdp',
      );
    }
    const { viewerId, answerSdp } = await room.addViewer(request.body);
    return {
      status: 201,
      headers: {
        'content-type': 'application/sdp',
        location: `${request.path.replace(/\/+$/, '')}/${encodeURIComponent(viewerId)}`,
      },
      body: answerSdp,
    };
  }
}
