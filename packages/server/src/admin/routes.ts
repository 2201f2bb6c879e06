/** @module `/v1/admin/accounts`: an admin key creates accounts (with their first key) and changes plans/minutes. */
import {
  AccountIdParams,
  AccountReply,
  CreateAccountBody,
  CreateAccountReply,
  UpdateAccountBody,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { adminOf } from '../http/caller.js';
import { createApiKey, toApiKeyView } from '../keys/create-api-key.js';
import { toAccountView } from './account-view.js';

const tags = ['Admin'];

export const adminRoutes =
  ({ store, config }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/admin/accounts',
      {
        schema: {
          tags,
          summary: 'Create an account and its first API key (admin)',
          body: CreateAccountBody.optional(),
          response: { 200: CreateAccountReply },
        },
      },
      async (request) => {
        adminOf(request);
        const body = request.body ?? {};
        const { account, created } = await store.transaction(async (repos) => {
          const account = await repos.accounts.create({
            name: body.name ?? 'Account',
            plan: body.plan ?? config.defaultPlan,
            ...(body.purchased_minutes !== undefined && { purchasedMinutes: body.purchased_minutes }),
          });
          return {
            account,
            created: await createApiKey(repos, { accountId: account.id, name: 'First key' }),
          };
        });
        return {
          success: true as const,
          account: toAccountView(account),
          api_key: { ...toApiKeyView(created.row), key: created.key },
        };
      },
    );

    app.put(
      '/v1/admin/accounts/:account_id',
      {
        schema: {
          tags,
          summary: "Change an account's plan or name, or add purchased minutes (admin)",
          params: AccountIdParams,
          body: UpdateAccountBody.optional(),
          response: { 200: AccountReply },
        },
      },
      async (request) => {
        adminOf(request);
        const body = request.body ?? {};
        const row = await store.accounts.update(request.params.account_id, {
          ...(body.name !== undefined && { name: body.name }),
          ...(body.plan !== undefined && { plan: body.plan }),
          ...(body.add_purchased_minutes !== undefined && {
            addPurchasedMinutes: body.add_purchased_minutes,
          }),
        });
        if (!row) throw new AppError('ACCOUNT_NOT_FOUND', 'Account not found');
        return { success: true as const, account: toAccountView(row) };
      },
    );
  };
