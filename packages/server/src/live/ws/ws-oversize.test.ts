/**
 * Issue 15 item 8: a frame over 10 MB always gets `MESSAGE_TOO_LARGE` before the close (1009), however the
 * bytes race, and leaves one warning line in the log, no error line and no stack.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { WS_MAX_FRAME_BYTES } from '@agenthuman/protocol';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const TRIES = 26;

describe('WebSocket frames over 10 MB', () => {
  const logLines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
      done();
    },
  });
  const t = serverForSuite('pglite', { server: { logger: { level: 'info', stream } } });
  let wsUrl: string;

  beforeAll(async () => {
    wsUrl = `${(await t().server.listen()).replace(/^http/, 'ws')}/ws`;
  });

  /** One try: returns what the client saw before the socket closed. */
  async function oversize(payload: Buffer | string): Promise<{ messages: string[]; code: number }> {
    const socket = new WebSocket(wsUrl);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(data.toString()));
    socket.on('error', () => undefined);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(payload);
    return { messages, code: await closed };
  }

  it(`answers MESSAGE_TOO_LARGE then 1009 on ${TRIES} of ${TRIES} tries, logging one warning each`, async () => {
    const text = `{"type":"agent.speak","audio":"${'A'.repeat(WS_MAX_FRAME_BYTES)}"}`;
    const binary = Buffer.alloc(WS_MAX_FRAME_BYTES * 2, 1);
    const before = logLines.length;
    const outcomes: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const { messages, code } = await oversize(i % 2 === 0 ? text : binary);
      const first = messages[0] ? (JSON.parse(messages[0]) as { code?: string }).code : 'nothing';
      outcomes.push(`${first}/${code}`);
    }
    expect(outcomes).toEqual(Array(TRIES).fill('MESSAGE_TOO_LARGE/1009'));
    const lines = logLines.slice(before).filter((line) => /too large|websocket/i.test(String(line.msg)));
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(TRIES);
    expect(JSON.stringify(warnings)).not.toContain('stack');
  }, 120_000);

  /** A bare TCP client: handshake, then one masked 11 MB frame written at once; returns the bytes it read. */
  function rawOversize(): Promise<{ read: Buffer; error: string | undefined }> {
    const { port } = new URL(wsUrl);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      const chunks: Buffer[] = [];
      let upgraded = false;
      let error: string | undefined;
      socket.on('data', (data) => {
        chunks.push(data);
        if (upgraded || !Buffer.concat(chunks).includes('\r\n\r\n')) return;
        upgraded = true;
        chunks.length = 0;
        const length = WS_MAX_FRAME_BYTES + 1024 * 1024;
        const header = Buffer.alloc(14);
        header[0] = 0x81;
        header[1] = 0x80 | 127;
        header.writeBigUInt64BE(BigInt(length), 2);
        randomBytes(4).copy(header, 10);
        socket.write(Buffer.concat([header, Buffer.alloc(length, 0x41)]));
      });
      socket.on('error', (e) => {
        error = e.message;
      });
      socket.on('close', () => resolve({ read: Buffer.concat(chunks), error }));
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  it('tells a bare client that writes the whole frame at once, before the close frame', async () => {
    for (let i = 0; i < 6; i++) {
      const { read, error } = await rawOversize();
      const text = read.toString('latin1');
      expect(text, error).toContain('MESSAGE_TOO_LARGE');
      // The close frame (opcode 8) with 1009 comes after the error message.
      const close = read.indexOf(Buffer.from([0x88]));
      expect(close).toBeGreaterThan(text.indexOf('MESSAGE_TOO_LARGE'));
      expect(read.readUInt16BE(close + 2)).toBe(1009);
    }
  }, 120_000);
});
