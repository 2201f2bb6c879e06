/**
 * @module Signing secrets in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes). An endpoint's
 * secret is made at create and shown once; sessions' `callback_url` deliveries are signed with one secret per
 * account (settings key `webhook_callback_secret:<account>`), made on first use, which the owner reads at
 * `GET /v1/webhooks/callback-secret`.
 */
import { randomBytes } from 'node:crypto';
import type { Repositories } from '@agenthuman/store';

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export const callbackSecret = (repos: Pick<Repositories, 'settings'>, accountId: string): Promise<string> =>
  repos.settings.getOrCreate(`webhook_callback_secret:${accountId}`, newWebhookSecret);
