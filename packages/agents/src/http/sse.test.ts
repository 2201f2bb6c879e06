import { describe, expect, it } from 'vitest';
import { parseSse } from './sse.js';

async function* pieces(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield new Uint8Array(bytes.subarray(at, at + size));
    at += size;
  }
}

const collect = async (text: string, sizes: number[]) => {
  const out = [];
  for await (const e of parseSse(pieces(text, sizes))) out.push(e);
  return out;
};

describe('parseSse', () => {
  const wire =
    ': keep-alive\r\nevent: update\r\ndata: {"a":"héllo 👋"}\r\n\r\ndata: line one\ndata:line two\n\rdata: [DONE]\n\n';
  const expected = [
    { event: 'update', data: '{"a":"héllo 👋"}' },
    { event: 'message', data: 'line one\nline two' },
    { event: 'message', data: '[DONE]' },
  ];

  it('gives the same events however the bytes are split (mid-line, mid-UTF-8, mid-CRLF)', async () => {
    expect(await collect(wire, [wire.length * 4])).toEqual(expected);
    for (const sizes of [[1], [2], [3, 1], [5, 7, 2], [13]]) {
      expect(await collect(wire, sizes)).toEqual(expected);
    }
  });

  it('keeps a last event that has no blank line after it', async () => {
    expect(await collect('data: one\n\ndata: two', [4])).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
    ]);
  });
});
