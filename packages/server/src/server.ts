/**
 * @module The composition root: config → store → services → app, plus the sweeper. `close()` is the graceful
 * shutdown: stop accepting, let in-flight requests finish, stop the sweeper, close the database.
 *
 * Shutdown does not end running sessions: their media does not live in this process yet, a restart picks
 * them up unchanged, and the sweeper ends the ones that expire meanwhile (billed up to their expiration).
 */
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '@agenthuman/store';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type BootstrapResult, ensureBootstrap } from './accounts/bootstrap.js';
import { buildApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { type IngestFace, ingestFaceUnavailable } from './avatars/ingest-face.js';
import { createAvatarResolver } from './avatars/resolve-avatar.js';
import type { Config } from './config/config.js';
import { createAuthenticator } from './http/auth.js';
import { createRateLimiter } from './http/rate-limit.js';
import { createRoomProvisioner } from './rooms/room-provisioner.js';
import { createSessionLifecycle } from './sessions/session-lifecycle.js';
import { createSweeper, type Sweeper } from './sessions/sweeper.js';

export type ServerOptions = {
  logger?: FastifyServerOptions['logger'];
  ingestFace?: IngestFace;
  /** Start the expiry sweeper timer (default true). */
  sweep?: boolean;
  /** The built dashboard to serve at `/` (see packages/web). */
  webRoot?: string;
};

export type RunningServer = {
  app: FastifyInstance;
  deps: AppDeps;
  sweeper: Sweeper;
  bootstrap: BootstrapResult;
  /** Where it listens, once `listen()` ran. */
  url: string | undefined;
  listen(): Promise<string>;
  close(): Promise<void>;
};

export async function createServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  try {
    return await assemble(config, store, options);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function assemble(config: Config, store: Store, options: ServerOptions): Promise<RunningServer> {
  const bootstrap = await ensureBootstrap(store, config);
  const secret = await store.settings.getOrCreate('server_secret', () =>
    randomBytes(32).toString('base64url'),
  );
  const lifecycle = createSessionLifecycle({ store, plans: config.plans });
  const deps: AppDeps = {
    config,
    plans: config.plans,
    store,
    auth: createAuthenticator(store),
    rateLimiter: createRateLimiter({ perMinute: config.rateLimitPerMinute }),
    avatars: createAvatarResolver({
      store,
      publicUrl: config.publicUrl,
      ingestFace: options.ingestFace ?? ingestFaceUnavailable,
    }),
    rooms: createRoomProvisioner({ publicUrl: config.publicUrl, secret, livekit: config.livekit }),
    lifecycle,
  };
  const app = await buildApp(deps, { logger: options.logger ?? false, webRoot: options.webRoot });
  const sweeper = createSweeper({
    store,
    lifecycle,
    intervalMs: config.sweepIntervalMs,
    onError: (error) => app.log.error({ err: error }, 'session sweep failed'),
  });
  if (options.sweep !== false) sweeper.start();

  let closing: Promise<void> | undefined;
  const server: RunningServer = {
    app,
    deps,
    sweeper,
    bootstrap,
    url: undefined,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      server.url = address.replace('[::1]', 'localhost');
      return server.url;
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await sweeper.stop();
        await store.close();
      })();
      return closing;
    },
  };
  return server;
}
