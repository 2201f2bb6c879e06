/** @module The authenticated caller attached to each API request. */
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import type { Caller } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('API_KEY_REQUIRED', 'API key required');
  return request.caller;
}

export function adminOf(request: FastifyRequest): Caller {
  const caller = callerOf(request);
  if (!caller.isAdmin) {
    throw new AppError('ADMIN_REQUIRED', 'This endpoint needs an admin API key', {
      suggestion: 'Use the bootstrap key printed on first start (or a key of its account)',
    });
  }
  return caller;
}
