/**
 * @module `agenthuman serve` (API and media in one process), and the two scale-out processes `agenthuman api`
 * and `agenthuman worker` (commands/api.ts, commands/worker.ts); SIGTERM/SIGINT shut any of them down gracefully.
 */
import {
  assertRoleConfig,
  bootstrapKeyFile,
  ConfigError,
  createServer,
  loadConfig,
  type ServerRole,
} from '@agenthuman/server';
import { ensureWebBuilt } from '@agenthuman/web';

export const summary = 'start the API server (what `npm start` runs)';

const USAGE: Record<ServerRole, string> = {
  all: 'Usage: agenthuman serve\n\nSettings come from the environment (PORT, HOST, AGENTHUMAN_DATA_DIR, DATABASE_URL, ...); see README.',
  api: 'Usage: agenthuman api\n\nAn API process of a cluster: REST, /ws and room signalling, media on workers. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; see docs/deploy.md.',
  worker:
    'Usage: agenthuman worker\n\nA media worker of a cluster, reached only by API processes. Needs DATABASE_URL (PostgreSQL), REDIS_URL and AGENTHUMAN_WORKER_URL; see docs/deploy.md.',
};

export function run(args: string[]): Promise<number> {
  return runRole('all', args);
}

export async function runRole(role: ServerRole, args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE[role]);
    return 0;
  }
  let config: ReturnType<typeof loadConfig>;
  let server: Awaited<ReturnType<typeof createServer>>;
  let web: Awaited<ReturnType<typeof ensureWebBuilt>> | undefined;
  try {
    config = loadConfig();
    // Refused before the dashboard build, not after it.
    assertRoleConfig(role, config);
    // The dashboard is built on first start (and when its sources change), so nothing built is committed.
    web =
      role === 'worker'
        ? undefined
        : await ensureWebBuilt({ log: (line) => console.log(line) }).catch((error: unknown) => {
            console.error(`dashboard build failed, serving the API only: ${String(error)}`);
            return undefined;
          });
    if (web?.built) console.log(`dashboard built in ${(web.ms / 1000).toFixed(1)} s`);
    server = await createServer(config, {
      logger: { level: config.logLevel },
      role,
      ...(web && { webRoot: web.distDir }),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const address = await server.listen();
  const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}/db`;
  if (role === 'worker') {
    console.log(
      `agenthuman worker listening on ${address}\n  reached at: ${config.workerUrl}\n  store:      ${store}`,
    );
  } else {
    console.log(
      `agenthuman ${role === 'api' ? 'API process' : 'API'} listening on ${address}\n  public URL: ${config.publicUrl}\n  docs:       ${config.publicUrl}/docs\n  store:      ${store}`,
    );
  }
  if (web)
    console.log(
      `\n  ▶ Playground: ${config.publicUrl}/playground  (sign in with the admin key, saved in ${bootstrapKeyFile(config.dataDir)})`,
    );
  const { generatedKey, keyFile } = server.bootstrap;
  if (generatedKey) {
    console.log(
      `\nFirst start: the admin API key (shown once; also saved to ${keyFile}, mode 0600):\n\n  ${generatedKey}\n`,
    );
  }

  return new Promise<number>(() => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      console.log(`${signal}: ending live sessions, finishing in-flight requests, then closing the database`);
      // Exit explicitly once closed: libwebrtc (wrtc) can crash during a natural exit after peers existed.
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('shutdown failed:', error);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
