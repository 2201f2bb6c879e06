/**
 * @module One guard for text every route receives (path ids, query strings, JSON bodies): NUL characters and
 * lone UTF-16 surrogates are refused with 400 `VALIDATION_ERROR` naming the field, and bodies may nest at most
 * `MAX_BODY_DEPTH` levels. PostgreSQL refuses NUL in `text` and `jsonb`, and lone surrogates in `jsonb`; left to
 * the database they became 500s. The walk is iterative: a 36 KB body can nest 6,000 levels deep.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/** Deeper JSON bodies are refused outright (every schema of the API nests far less; metadata stops at 10). */
export const MAX_BODY_DEPTH = 32;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Problem = { field: string; message: string };

export function installInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const problem =
      findProblem(request.params, 'path') ??
      findProblem(request.query, 'query') ??
      findProblem(request.body, 'body');
    if (problem) {
      throw new AppError('VALIDATION_ERROR', `Invalid ${problem.field}: ${problem.message}`, {
        details: { field: problem.field },
      });
    }
  });
}

function badText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid UTF-16 (a lone surrogate)';
  return undefined;
}

/** The first bad string (value or key) or the first level past the depth cap, with its dotted path. */
function findProblem(root: unknown, location: 'path' | 'query' | 'body'): Problem | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const field = () => path.join('.') || location;
    if (typeof value === 'string') {
      const message = badText(value);
      if (message) return { field: field(), message };
      continue;
    }
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue;
    if (path.length >= MAX_BODY_DEPTH) {
      return { field: path[0] ?? location, message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(value)) {
      const message = badText(key);
      if (message) return { field: field(), message: `has a key that ${message}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
