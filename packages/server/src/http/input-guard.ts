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
/** More values than this (keys, items, strings) are refused too: the walk's cost stays bounded. */
export const MAX_BODY_VALUES = 100_000;

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

const ANY_SURROGATE = /[\ud800-\udfff]/;

function badText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  // The exact (look-around) test only for the rare text that has a surrogate at all.
  if (ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text)) return 'must be valid UTF-16 (a lone surrogate)';
  return undefined;
}

type Node = { value: unknown; key: string | undefined; parent: Node | undefined; depth: number };

const pathOf = (node: Node | undefined): string[] => {
  const path: string[] = [];
  for (let n = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  return path;
};

/** The first bad string (value or key) or the first level past the depth cap, with its dotted path. */
function findProblem(root: unknown, location: 'path' | 'query' | 'body'): Problem | undefined {
  // Paths are rebuilt from parent links only for the problem found: a body may hold many thousands of keys.
  const stack: Node[] = [{ value: root, key: undefined, parent: undefined, depth: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++visited > MAX_BODY_VALUES) {
      return { field: location, message: `holds more than ${MAX_BODY_VALUES} values` };
    }
    const { value } = node;
    const field = (at: Node | undefined) => pathOf(at).join('.') || location;
    if (typeof value === 'string') {
      const message = badText(value);
      if (message) return { field: field(node), message };
      continue;
    }
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue;
    if (node.depth >= MAX_BODY_DEPTH) {
      return { field: pathOf(node)[0] ?? location, message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    }
    for (const key of Object.keys(value)) {
      const message = badText(key);
      if (message) return { field: field(node), message: `has a key that ${message}` };
      stack.push({
        value: (value as Record<string, unknown>)[key],
        key,
        parent: node,
        depth: node.depth + 1,
      });
    }
  }
  return undefined;
}
