/** @module `GET /v1/usage`. */
import { UsageReply } from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { toSessionView } from '../sessions/session-view.js';
import { readAccountUsage } from './account-usage.js';

export const usageRoutes =
  ({ store, config, avatars }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/usage',
      {
        schema: {
          tags: ['Usage'],
          summary: 'Usage summary for the current billing period',
          response: { 200: UsageReply },
        },
      },
      async (request) => {
        const { accountId } = callerOf(request);
        const account = await store.accounts.findById(accountId);
        if (!account) throw new AppError('INVALID_API_KEY', 'Invalid API key');
        const now = new Date();
        const usage = await readAccountUsage(store, account, config.plans, now);
        const avatarLimit = usage.plan.customAvatarsPerCycle;
        const avatarsUsed = await store.avatars.countCreatedSince(accountId, usage.period.start);
        return {
          success: true as const,
          usage: {
            period: { start: usage.period.start.toISOString(), end: usage.period.end.toISOString() },
            included_minutes: {
              total: usage.includedTotal,
              used: usage.includedUsed,
              remaining: usage.includedRemaining,
            },
            purchased_minutes: { total: usage.purchasedTotal, remaining: usage.purchasedRemaining },
            total_remaining: usage.totalRemaining,
            active_sessions: usage.running.map((row) => toSessionView(row, avatars)),
            active_minutes: usage.activeMinutes,
            concurrency: usage.concurrency,
            avatars: {
              limit: avatarLimit,
              used: avatarsUsed,
              remaining: avatarLimit === null ? null : Math.max(0, avatarLimit - avatarsUsed),
            },
            plan: {
              key: usage.plan.key,
              name: usage.plan.name,
              max_session_duration: usage.plan.maxSessionDuration,
              will_renew: true,
            },
          },
        };
      },
    );
  };
