/** @module Accounts, their API keys, the minutes they were charged, and the server-wide settings. */
import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns.js';

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  // Every row has an integer id too, for the legacy `/api/v1` dialect.
  seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
  name: text('name').notNull(),
  plan: text('plan').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  purchasedMinutesTotal: integer('purchased_minutes_total').notNull().default(0),
  purchasedMinutesRemaining: integer('purchased_minutes_remaining').notNull().default(0),
  createdAt: createdAt(),
});

/** The owning account of a row: deleting the account deletes its rows. */
export const accountIdColumn = () =>
  text('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' });

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: accountIdColumn(),
    name: text('name').notNull(),
    // Only the sha256 of the key is stored; the key itself is shown once.
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    deactivatedAt: tstz('deactivated_at'),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_key_hash').on(t.keyHash), index('api_keys_account').on(t.accountId)],
);

/** One row per ended session that cost minutes, in the billing period it ended in. */
export const minuteCharges = pgTable(
  'minute_charges',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    accountId: accountIdColumn(),
    sessionId: text('session_id').notNull().unique(),
    periodStart: tstz('period_start').notNull(),
    includedMinutes: integer('included_minutes').notNull(),
    purchasedMinutes: integer('purchased_minutes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('minute_charges_account_period').on(t.accountId, t.periodStart)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
