/** @module JSON bodies: an empty body counts as no body (clients send `Content-Type: json` on bodiless POSTs). */
import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';

export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export function installJsonBodyParser(app: FastifyInstance) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const text = (body as string).trim();
      if (text === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(
          new AppError('INVALID_JSON', 'Request body is not valid JSON', {
            suggestion: 'Send a JSON object with Content-Type: application/json',
          }),
          undefined,
        );
      }
    },
  );
}
