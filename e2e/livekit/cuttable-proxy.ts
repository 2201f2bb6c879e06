/**
 * A loopback TCP proxy in front of the LiveKit server's signalling port that can be cut for a while, so that
 * rtc-node really loses its signalling (media keeps its own UDP path): open connections are dropped, and new ones
 * get nowhere until the cut ends (held, as a dead network holds them; `refuse` resets them instead, which makes
 * rtc-node give up resuming and reconnect in full: a new participant, new tracks).
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';

export class CuttableProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #cutUntil: Promise<void> | undefined;
  connections = 0;
  refused = 0;

  constructor(target: { host: string; port: number }, refuse: boolean) {
    this.#server = createServer(async (client) => {
      if (this.#cutUntil && refuse) {
        this.refused++;
        return void client.destroy();
      }
      client.pause();
      client.on('error', () => client.destroy());
      await this.#cutUntil;
      if (client.destroyed) return;
      this.connections++;
      const upstream = netConnect(target.port, target.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.#sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.#sockets.delete(a);
          b.destroy();
        });
      }
    });
  }

  /** In front of a LiveKit server's ws:// URL; resolves with the URL to give the client instead. */
  static async before(url: string, refuse: boolean): Promise<{ proxy: CuttableProxy; url: string }> {
    const proxy = new CuttableProxy({ host: '127.0.0.1', port: Number(new URL(url).port) }, refuse);
    return { proxy, url: `ws://127.0.0.1:${await proxy.listen()}` };
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as { port: number }).port;
  }

  /** Drops every open connection; new ones wait (or are refused) for `ms`. Resolves with how many were open. */
  async cut(ms: number): Promise<number> {
    this.#cutUntil = new Promise((resolve) => setTimeout(resolve, ms));
    const dropped = this.#sockets.size / 2;
    for (const socket of this.#sockets) socket.destroy();
    await this.#cutUntil;
    this.#cutUntil = undefined;
    return dropped;
  }

  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.close();
  }
}
