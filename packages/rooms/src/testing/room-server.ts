import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRoomRequestHandler } from '../builtin/node-http.js';
import { RoomHub, type RoomHubOptions } from '../builtin/room-hub.js';

export type RoomServer = {
  hub: RoomHub;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Closes every room, every connection and the server. */
  close: () => Promise<void>;
};

/**
 * A throwaway node:http server on 127.0.0.1 serving room pages and signalling, for tests and benches (the API
 * server does this in production). Viewers join room R with the token `token-for-R` unless `verifyToken` says
 * otherwise.
 */
export async function startRoomServer(options: Partial<RoomHubOptions> = {}): Promise<RoomServer> {
  const hub = new RoomHub({
    verifyToken: (room, token) => token === `token-for-${room}`,
    loopbackOnly: true,
    ...options,
  });
  const handle = createRoomRequestHandler(hub);
  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hub,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
