// A FAKE HTTP server on 127.0.0.1 for tests of clients of paid cloud APIs (which cannot be reached here):
// records each request and lets the test answer it in the provider's real wire format.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type FakeHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Connections the client closed before the answer was complete. */
  abortedResponses: number;
  close(): Promise<void>;
}

export async function startFakeHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const state = { abortedResponses: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) state.abortedResponses++;
    });
    try {
      await handler(recorded, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get abortedResponses() {
      return state.abortedResponses;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes bytes in pieces of the given sizes with a pause between them; stops if the client went away. */
export async function writeInPieces(
  res: ServerResponse,
  bytes: Uint8Array,
  pieceSizes: (index: number) => number,
  pauseMs = 1,
): Promise<boolean> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    if (res.destroyed) return false;
    const size = Math.max(1, pieceSizes(i));
    res.write(bytes.subarray(at, at + size));
    at += size;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return !res.destroyed;
}
