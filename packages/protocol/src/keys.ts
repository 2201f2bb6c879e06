/** @module API keys, accounts and plans (`/v1/api-keys`, `/v1/admin/accounts`). */
import { z } from 'zod';
import { Int32, NullableTimestamp, Timestamp } from './common.js';

/** `ah_live_` or `ah_test_` followed by 32 base62 characters. */
export const API_KEY_PATTERN = /^ah_(live|test)_[0-9A-Za-z]{32}$/;

export const PLAN_KEYS = ['free', 'explorer', 'growth', 'pro', 'enterprise'] as const;
export const PlanKey = z.enum(PLAN_KEYS);
export type PlanKey = z.infer<typeof PlanKey>;

export const ApiKey = z
  .object({
    key_id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, for recognising it'),
    status: z.enum(['active', 'deactivated']),
    created_at: Timestamp,
    last_used_at: NullableTimestamp,
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyBody = z.object({
  name: z.string().min(1).max(100).optional(),
  environment: z.enum(['live', 'test']).optional(),
});

export const CreatedApiKey = ApiKey.extend({
  key: z.string().describe('The full key; shown only in this response'),
});

export const CreateApiKeyReply = z.object({ success: z.literal(true), api_key: CreatedApiKey });
export const ApiKeyReply = z.object({ success: z.literal(true), api_key: ApiKey });
export const ListApiKeysReply = z.object({ success: z.literal(true), api_keys: z.array(ApiKey) });
export const KeyIdParams = z.object({ key_id: z.string() });

export const Account = z
  .object({
    account_id: z.string(),
    name: z.string(),
    plan: PlanKey,
    is_admin: z.boolean(),
    purchased_minutes: z.object({ total: z.number(), remaining: z.number() }),
    created_at: Timestamp,
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof Account>;

export const CreateAccountBody = z.object({
  name: z.string().min(1).max(200).optional(),
  plan: PlanKey.optional(),
  purchased_minutes: Int32().min(0).optional(),
});

export const UpdateAccountBody = z.object({
  name: z.string().min(1).max(200).optional(),
  plan: PlanKey.optional(),
  add_purchased_minutes: Int32().min(1).optional(),
});

export const AccountIdParams = z.object({ account_id: z.string() });
export const AccountReply = z.object({ success: z.literal(true), account: Account });
export const CreateAccountReply = AccountReply.extend({ api_key: CreatedApiKey });
