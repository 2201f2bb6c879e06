/**
 * @module Builds the dashboard with Vite when `dist/` is missing or older than the sources, so `npm start` works
 * right after `npm install` and after every `git pull`, with nothing built committed. A build takes a few
 * seconds on first start; later starts only compare modification times.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_DIST_DIR = join(PACKAGE_DIR, 'dist');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', '../sdk/src'].map((p) =>
  join(PACKAGE_DIR, p),
);

export type WebBuildResult = { distDir: string; built: boolean; ms: number };

export async function ensureWebBuilt(options: { force?: boolean; log?: (line: string) => void } = {}) {
  const started = performance.now();
  const index = join(WEB_DIST_DIR, 'index.html');
  const fresh = existsSync(index) && newestMtime(SOURCES) <= statSync(index).mtimeMs;
  if (fresh && !options.force) return { distDir: WEB_DIST_DIR, built: false, ms: 0 } satisfies WebBuildResult;
  options.log?.('building the dashboard (first start or sources changed)…');
  const { build } = await import('vite');
  // Always a production bundle, even when started under a test runner that sets NODE_ENV=test.
  await build({
    configFile: join(PACKAGE_DIR, 'vite.config.ts'),
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warn',
  });
  return {
    distDir: WEB_DIST_DIR,
    built: true,
    ms: Math.round(performance.now() - started),
  } satisfies WebBuildResult;
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const info = statSync(path);
    if (info.isDirectory()) {
      const children = readdirSync(path)
        .filter((name) => !name.endsWith('.test.ts'))
        .map((name) => join(path, name));
      newest = Math.max(newest, newestMtime(children));
    } else newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}
