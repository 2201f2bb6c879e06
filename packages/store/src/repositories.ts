/** @module All repositories bound to one database handle (or one transaction). */
import type { Database } from './database.js';
import { createAccountsRepository } from './repositories/accounts.js';
import { createAgentsRepository } from './repositories/agents.js';
import { createApiKeysRepository } from './repositories/api-keys.js';
import { createAvatarPreviewsRepository } from './repositories/avatar-previews.js';
import { createAvatarsRepository } from './repositories/avatars.js';
import { createLinksRepository } from './repositories/links.js';
import { createMessagesRepository } from './repositories/messages.js';
import { createMinuteChargesRepository } from './repositories/minute-charges.js';
import { createRecordingsRepository } from './repositories/recordings.js';
import { createSessionsRepository, type SessionRow } from './repositories/sessions.js';
import { createSettingsRepository } from './repositories/settings.js';
import { createWebhooksRepository } from './repositories/webhooks.js';
import type { RowCache } from './row-cache.js';

export type Repositories = ReturnType<typeof createRepositories>;

export type RepositoryCaches = { sessions?: RowCache<SessionRow> };

/** `inTransaction`: writes still invalidate the caches, reads bypass them. */
export function createRepositories(db: Database, caches: RepositoryCaches = {}, inTransaction = false) {
  return {
    accounts: createAccountsRepository(db),
    apiKeys: createApiKeysRepository(db),
    sessions: createSessionsRepository(db, caches.sessions, !inTransaction),
    agents: createAgentsRepository(db),
    avatars: createAvatarsRepository(db),
    avatarPreviews: createAvatarPreviewsRepository(db),
    minuteCharges: createMinuteChargesRepository(db),
    messages: createMessagesRepository(db),
    links: createLinksRepository(db),
    recordings: createRecordingsRepository(db),
    settings: createSettingsRepository(db),
    webhooks: createWebhooksRepository(db),
  };
}
