// Server-sent events parser for streamed provider answers: bytes may split anywhere (mid-line, mid-UTF-8),
// lines end in \n, \r\n or \r, multi-line data joins with \n, and comments (": ping") are skipped.

export interface SseEvent {
  event: string;
  data: string;
}

export async function* parseSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  let event = '';
  // A \r at the end of a chunk may be the first half of \r\n.
  let pendingCr = false;

  function* takeLines(): Generator<SseEvent> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      if (!match) return;
      if (match[0] === '\r' && match.index === buffer.length - 1) {
        pendingCr = true;
        return;
      }
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
        data = [];
        event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  }

  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (pendingCr) {
      pendingCr = false;
      text = text.startsWith('\n') ? `\n${text.slice(1)}` : `\n${text}`;
      buffer = buffer.slice(0, -1);
    }
    buffer += text;
    yield* takeLines();
  }
  buffer += decoder.decode();
  if (pendingCr) buffer = `${buffer.slice(0, -1)}\n`;
  yield* takeLines();
  // Lenient about a missing blank line after the last event.
  if (buffer.startsWith('data:')) {
    let value = buffer.slice(5);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
  }
  if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
}
