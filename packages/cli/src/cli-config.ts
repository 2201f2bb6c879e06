/**
 * @module The CLI's only reader of the environment and of its config file. Precedence: AGENTHUMAN_API_KEY /
 * AGENTHUMAN_API_URL in the environment, then `login`'s saved file ($XDG_CONFIG_HOME/agenthuman/config.json,
 * mode 0600), then a local server's defaults (http://127.0.0.1:$PORT and the bootstrap key in its data dir).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type SavedConfig = { api_url?: string; api_key?: string };

export type ResolvedConfig = {
  apiUrl: string;
  apiKey: string | undefined;
  /** Where each value came from, for `login --status` and error hints. */
  source: { apiUrl: 'env' | 'file' | 'default'; apiKey: 'env' | 'file' | 'bootstrap' | 'none' };
  configFile: string;
};

const env = process.env;

export const configDir = () =>
  join(env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config'), 'agenthuman');
export const configFile = () => join(configDir(), 'config.json');

/** Colours only on a terminal and without NO_COLOR (https://no-color.org). */
export const colorEnabled = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !env.NO_COLOR;

export function readSavedConfig(): SavedConfig {
  const file = configFile();
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as SavedConfig) : {};
  } catch {
    return {};
  }
}

/** Writes the file readable by the owner only; the directory too. */
export function writeSavedConfig(config: SavedConfig) {
  const dir = configDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = configFile();
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its old mode on write
}

export function removeSavedKey() {
  const saved = readSavedConfig();
  delete saved.api_key;
  if (Object.keys(saved).length === 0) rmSync(configFile(), { force: true });
  else writeSavedConfig(saved);
}

export function resolveConfig(): ResolvedConfig {
  const saved = readSavedConfig();
  const envUrl = (env.AGENTHUMAN_API_URL ?? env.AGENTHUMAN_URL)?.trim();
  const envKey = env.AGENTHUMAN_API_KEY?.trim();
  const apiUrl = (envUrl || saved.api_url || `http://127.0.0.1:${env.PORT?.trim() || '8080'}`).replace(
    /\/+$/,
    '',
  );
  const bootstrap = envKey || saved.api_key ? undefined : readBootstrapKey();
  return {
    apiUrl,
    apiKey: envKey || saved.api_key || bootstrap,
    source: {
      apiUrl: envUrl ? 'env' : saved.api_url ? 'file' : 'default',
      apiKey: envKey ? 'env' : saved.api_key ? 'file' : bootstrap ? 'bootstrap' : 'none',
    },
    configFile: configFile(),
  };
}

// A server started here with `npm start` writes its first key to <data dir>/bootstrap-key; using it makes the
// CLI work on a fresh checkout without `login`.
function readBootstrapKey(): string | undefined {
  const file = join(resolve(env.AGENTHUMAN_DATA_DIR?.trim() || './data'), 'bootstrap-key');
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
