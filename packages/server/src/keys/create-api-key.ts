/** @module Makes a new key for an account; the returned `key` is the only time the full key exists in memory. */
import type { ApiKey } from '@agenthuman/protocol';
import type { ApiKeyRow, Repositories } from '@agenthuman/store';
import { displayPrefix, generateApiKey, hashApiKey, type KeyEnvironment } from './api-key-secret.js';

export async function createApiKey(
  repos: Pick<Repositories, 'apiKeys'>,
  input: { accountId: string; name?: string; environment?: KeyEnvironment; key?: string },
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = input.key ?? generateApiKey(input.environment);
  const row = await repos.apiKeys.create({
    accountId: input.accountId,
    name: input.name ?? 'API key',
    keyHash: hashApiKey(key),
    prefix: displayPrefix(key),
  });
  return { row, key };
}

export const toApiKeyView = (row: ApiKeyRow): ApiKey => ({
  key_id: row.id,
  name: row.name,
  prefix: row.prefix,
  status: row.deactivatedAt ? 'deactivated' : 'active',
  created_at: row.createdAt.toISOString(),
  last_used_at: row.lastUsedAt?.toISOString() ?? null,
});
