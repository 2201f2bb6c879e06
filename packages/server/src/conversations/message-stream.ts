/**
 * @module A reply as server-sent events (`Accept: text/event-stream`): `message`, `text.delta`, `sentence`,
 * `tts.fallback`, then `done` (the JSON answer) or `error` (an error body). Event names are documented with
 * MESSAGE_STREAM_EVENTS in the protocol package.
 */
import type { ConversationEvent } from '@agenthuman/agents';
import type { ErrorBody, SendMessageReply } from '@agenthuman/protocol';
import type { FastifyReply } from 'fastify';
import { AppError, isAppError } from '../http/app-error.js';

export function wantsEventStream(accept: string | undefined): boolean {
  return Boolean(accept && /\btext\/event-stream\b/i.test(accept));
}

export class MessageStream {
  private readonly raw: FastifyReply['raw'];

  constructor(reply: FastifyReply) {
    reply.hijack();
    this.raw = reply.raw;
    // The rate-limit headers set before the hijack go out too.
    const headers = Object.fromEntries(
      Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined),
    ) as Record<string, string | number | string[]>;
    this.raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
  }

  send(event: string, data: unknown): void {
    if (this.raw.destroyed || this.raw.writableEnded) return;
    this.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Forwards the turn's events that a client can use. */
  forward(event: ConversationEvent): void {
    if (event.type === 'turn.started' && event.userText !== undefined) {
      this.send('message', { role: 'user', text: event.userText });
    } else if (event.type === 'text.delta') {
      this.send('text.delta', { delta: event.delta });
    } else if (event.type === 'sentence') {
      this.send('sentence', { index: event.index, text: event.text });
    } else if (event.type === 'tts.fallback') {
      const { type: _type, ...rest } = event;
      this.send('tts.fallback', rest);
    }
  }

  done(body: SendMessageReply): void {
    this.send('done', body);
    this.raw.end();
  }

  fail(error: unknown): void {
    const app = isAppError(error) ? error : new AppError('INTERNAL_ERROR', 'Internal server error');
    const body: ErrorBody = { success: false, error: { message: app.message, code: app.code } };
    if (app.suggestion) body.error.suggestion = app.suggestion;
    if (app.details) body.error.details = app.details;
    this.send('error', body);
    this.raw.end();
  }
}
