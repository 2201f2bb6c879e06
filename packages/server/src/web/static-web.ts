/**
 * @module Serves the built dashboard (packages/web/dist) at `/`: files as they are, and index.html for any
 * other page path so the single-page app routes itself. API paths never fall back to HTML: an unknown
 * `/v1/...` still answers the JSON 404. Hashed assets are cached for a year, index.html never.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Paths that belong to the API and other server pages, never to the dashboard. */
const NOT_WEB = /^\/(v1|api|ws|rooms|s|public|media|docs|openapi\.json|health)(\/|$)/;

export function registerStaticWeb(app: FastifyInstance, root: string) {
  const base = normalize(root + sep);
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    async handler(request, reply) {
      const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      if (NOT_WEB.test(path)) throw new AppError('NOT_FOUND', `Route ${request.method} ${path} not found`);
      const file = normalize(join(base, path));
      if (!file.startsWith(base)) throw new AppError('NOT_FOUND', 'Not found');
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) {
        const immutable = path.startsWith('/assets/');
        return reply
          .type(TYPES[extname(file)] ?? 'application/octet-stream')
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(createReadStream(file));
      }
      // A file-looking path that does not exist is a 404, not the app.
      if (extname(path)) throw new AppError('NOT_FOUND', `${path} not found`);
      const index = join(base, 'index.html');
      if (!(await stat(index).catch(() => undefined))) {
        throw new AppError('NOT_FOUND', 'The dashboard is not built (run: npm run build:web)');
      }
      return reply
        .type(TYPES['.html'] as string)
        .header('cache-control', 'no-cache')
        .send(createReadStream(index));
    },
  });
}
