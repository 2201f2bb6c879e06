/** @module Conversational agents and the public links that start sessions with them. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accountIdColumn } from './accounts.js';
import { createdAt, tstz } from './columns.js';

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: accountIdColumn(),
    name: text('name').notNull(),
    avatarId: text('avatar_id'),
    avatarImageUrl: text('avatar_image_url'),
    language: text('language').notNull().default('en'),
    customGreeting: text('custom_greeting'),
    context: text('context'),
    voiceId: text('voice_id'),
    knowledge: text('knowledge'),
    llm: jsonb('llm').$type<Record<string, unknown>>(),
    voiceAgent: jsonb('voice_agent').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // Sessions of this agent are recorded (MP4 of what they published).
    record: boolean('record').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('agents_account').on(t.accountId, t.createdAt)],
);

/**
 * Public links that start a session with an agent (`/s/{link_id}`). `status` is what the owner set (active or
 * paused, or expired by hand); expiry by date or use limit is derived when read.
 */
export const links = pgTable(
  'links',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: accountIdColumn(),
    // Deleting an agent deletes its links: they stop working at once.
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status').$type<'active' | 'paused' | 'expired'>().notNull().default('active'),
    uses: integer('uses').notNull().default(0),
    useLimit: integer('use_limit'),
    expiresAt: tstz('expires_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('links_account').on(t.accountId, t.seq)],
);
