/**
 * @module First start: an empty database gets one admin account and one API key, printed once and written to
 * `<dataDir>/bootstrap-key` (mode 0600). `AGENTHUMAN_BOOTSTRAP_KEY` makes that key exist instead (automation).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@agenthuman/store';
import type { Config } from '../config/config.js';
import { hashApiKey } from '../keys/api-key-secret.js';
import { createApiKey } from '../keys/create-api-key.js';

export type BootstrapResult = {
  /** Set only when this start generated the key (print it once). */
  generatedKey?: string;
  keyFile?: string;
};

const BOOTSTRAP_LOCK = 4_242_002;
export const bootstrapKeyFile = (dataDir: string) => join(dataDir, 'bootstrap-key');

export async function ensureBootstrap(
  store: Store,
  config: Pick<Config, 'bootstrapKey' | 'defaultPlan' | 'dataDir'>,
) {
  const result = await store.transaction(async (repos): Promise<BootstrapResult> => {
    await repos.settings.lockForTransaction(BOOTSTRAP_LOCK);
    const wanted = config.bootstrapKey;
    if (wanted) {
      if (await repos.apiKeys.findByHash(hashApiKey(wanted))) return {};
      const admin =
        (await repos.accounts.findFirstAdmin()) ??
        (await repos.accounts.create({ name: 'Admin', plan: config.defaultPlan, isAdmin: true }));
      await createApiKey(repos, {
        accountId: admin.id,
        name: 'Bootstrap key (AGENTHUMAN_BOOTSTRAP_KEY)',
        key: wanted,
      });
      return {};
    }
    if ((await repos.accounts.count()) > 0) return {};
    const admin = await repos.accounts.create({ name: 'Admin', plan: config.defaultPlan, isAdmin: true });
    const { key } = await createApiKey(repos, { accountId: admin.id, name: 'Bootstrap key' });
    return { generatedKey: key };
  });
  if (result.generatedKey) {
    mkdirSync(config.dataDir, { recursive: true });
    const keyFile = bootstrapKeyFile(config.dataDir);
    writeFileSync(keyFile, `${result.generatedKey}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    result.keyFile = keyFile;
  }
  return result;
}
