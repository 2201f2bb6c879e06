/**
 * @module The database schema (one source for PGlite and PostgreSQL; migrations are generated from it), one
 * file per domain under schema/.
 */
// accountIdColumn, a column helper of the other tables, stays inside schema/.
export { accounts, apiKeys, minuteCharges, settings } from './schema/accounts.js';
export * from './schema/agents.js';
export * from './schema/avatars.js';
export * from './schema/recordings.js';
export * from './schema/sessions.js';
export * from './schema/webhooks.js';
