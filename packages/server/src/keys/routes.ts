/** @module `/v1/api-keys`: the caller manages its own account's keys. */
import {
  ApiKeyReply,
  CreateApiKeyBody,
  CreateApiKeyReply,
  KeyIdParams,
  ListApiKeysReply,
  MessageReply,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { createApiKey, toApiKeyView } from './create-api-key.js';

const tags = ['API keys'];
const keyNotFound = () => new AppError('API_KEY_NOT_FOUND', 'API key not found');

export const keyRoutes =
  ({ store, auth }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/api-keys',
      { schema: { tags, summary: "List the account's API keys", response: { 200: ListApiKeysReply } } },
      async (request) => {
        const rows = await store.apiKeys.listByAccount(callerOf(request).accountId);
        return { success: true as const, api_keys: rows.map(toApiKeyView) };
      },
    );

    app.post(
      '/v1/api-keys',
      {
        schema: {
          tags,
          summary: 'Create an API key (the full key is shown only in this response)',
          body: CreateApiKeyBody.optional(),
          response: { 200: CreateApiKeyReply },
        },
      },
      async (request) => {
        const { row, key } = await createApiKey(store, {
          accountId: callerOf(request).accountId,
          ...(request.body?.name !== undefined && { name: request.body.name }),
          ...(request.body?.environment !== undefined && { environment: request.body.environment }),
        });
        return { success: true as const, api_key: { ...toApiKeyView(row), key } };
      },
    );

    app.post(
      '/v1/api-keys/:key_id/deactivate',
      {
        schema: {
          tags,
          summary: 'Deactivate an API key',
          params: KeyIdParams,
          response: { 200: ApiKeyReply },
        },
      },
      async (request) => {
        const { accountId } = callerOf(request);
        const { key_id } = request.params;
        const row =
          (await store.apiKeys.deactivate(accountId, key_id, new Date())) ??
          (await store.apiKeys.findForAccount(accountId, key_id));
        if (!row) throw keyNotFound();
        await auth.forgetKey(row.id);
        return { success: true as const, api_key: toApiKeyView(row) };
      },
    );

    app.delete(
      '/v1/api-keys/:key_id',
      {
        schema: {
          tags,
          summary: 'Delete (revoke) an API key',
          params: KeyIdParams,
          response: { 200: MessageReply },
        },
      },
      async (request) => {
        const row = await store.apiKeys.delete(callerOf(request).accountId, request.params.key_id);
        if (!row) throw keyNotFound();
        await auth.forgetKey(row.id);
        return { success: true as const, message: 'API key deleted successfully' };
      },
    );
  };
