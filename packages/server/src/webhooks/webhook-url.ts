/**
 * @module The check of a webhook or callback URL at create: the same outbound guard as image URLs and
 * `llm.base_url` (public addresses, plus AGENTHUMAN_ALLOWED_PRIVATE_HOSTS). Delivery checks again, at every
 * attempt, through the guarded fetch, so a DNS answer changed later cannot reach a private address.
 */
import { AppError } from '../http/app-error.js';
import { checkOutboundUrl, type GuardedFetchDeps, OutboundBlockedError } from '../net/guarded-fetch.js';

export function createWebhookUrlCheck(outbound: Omit<GuardedFetchDeps, 'connector'>) {
  return async (url: string, field: string): Promise<void> => {
    try {
      await checkOutboundUrl(url, outbound);
    } catch (error) {
      const message =
        error instanceof OutboundBlockedError
          ? error.message
          : `its host could not be resolved (${error instanceof Error ? error.message : String(error)})`;
      throw new AppError('WEBHOOK_URL_NOT_ALLOWED', `This URL cannot receive webhooks: ${message}`, {
        suggestion:
          'Use a public http(s) URL; an operator can allow private hosts in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS',
        details: { field },
      });
    }
  };
}
