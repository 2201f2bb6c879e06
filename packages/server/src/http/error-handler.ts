/** @module Maps every error to the body shape of the dialect that was called; no stack traces leave the server. */
import { AUTH_MESSAGES, type ErrorBody, type ErrorCode, type StringErrorBody } from '@agenthuman/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError } from './app-error.js';
import { BODY_LIMIT_BYTES } from './json-body.js';

export const isLegacyPath = (url: string) => url.startsWith('/api/v1');

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  reply.code(error.status);
  if (error.code in AUTH_MESSAGES) return reply.send({ error: error.message });
  if (isLegacyPath(request.url))
    return reply.send({ success: false, error: error.message } satisfies StringErrorBody);
  const body: ErrorBody = { success: false, error: { message: error.message, code: error.code } };
  if (error.suggestion) body.error.suggestion = error.suggestion;
  if (error.details) body.error.details = error.details;
  return reply.send(body);
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? bodyTooLarge(request) : toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError('NOT_FOUND', `Route ${request.method} ${request.url.split('?')[0]} not found`),
    ),
  );
}

/** Errors the router raises before any route runs (an undecodable path such as `%ZZ`, an over-long id). */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL path is not valid percent-encoded UTF-8'
      : 'The URL path could not be routed';
  return sendError(request, reply, new AppError('VALIDATION_ERROR', message, { details: { field: 'path' } }));
}

/** The limit of the route that refused the body (upload-face allows 15 MB), named with the field. */
function bodyTooLarge(request: FastifyRequest): AppError {
  const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES;
  return new AppError('PAYLOAD_TOO_LARGE', `Request body is too large (at most ${limit / 1024 / 1024} MB)`, {
    details: { field: 'body', max_bytes: limit },
  });
}

const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['VALIDATION_ERROR', 'Content-Length does not match the body'],
};

function toAppError(error: FastifyError): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => {
      const where = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: where || error.validationContext || 'body', message: issue.message ?? 'invalid value' };
    });
    const first = issues[0];
    const field = first?.field || error.validationContext || 'body';
    return new AppError('VALIDATION_ERROR', `Invalid ${field}: ${first?.message ?? 'invalid value'}`, {
      details: { field, issues, location: error.validationContext },
    });
  }
  const dataError = databaseDataError(error);
  if (dataError) return dataError;
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new AppError(known[0], known[1]);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_ERROR', error.message);
  }
  return new AppError('INTERNAL_ERROR', 'Internal server error', { cause: error });
}

/**
 * The net behind the edge validation: a PostgreSQL "data exception" (SQLSTATE class 22: a number out of range,
 * text the column cannot hold) is bad input the schemas missed, not a server fault.
 */
function databaseDataError(error: unknown): AppError | undefined {
  for (let cause = error, hops = 0; cause && hops < 5; hops++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
      return new AppError('VALIDATION_ERROR', 'A value is out of range or not valid for its field', {
        details: { field: 'body' },
      });
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
