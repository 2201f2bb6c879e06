/**
 * @module Key revocation across API processes: a key deactivated or deleted in one process is dropped from every
 * process's auth cache at once (Redis pub/sub), not after the cache lifetime. Pub/sub delivers only to
 * connected subscribers, so the two gaps an outage opens are closed here: a process whose subscription was
 * down may have missed revocations and forgets its whole cache when it is back (`onRevoked(undefined)`), and a
 * revocation this process could not publish is published again once Redis answers.
 */
import type { Redis } from 'ioredis';
import type { KeyRevocations } from '../http/auth.js';

export const REVOCATION_CHANNEL = 'agenthuman:auth:revoked';

/** Unpublished revocations kept for a later try; beyond this the cache lifetime bounds the staleness. */
const MAX_PENDING = 10_000;

type RevocationListener = (keyId: string | undefined) => void;

/** `subscriber` must be a connection of its own (a subscribed connection can send nothing else). */
export function createRedisKeyRevocations(publisher: Redis, subscriber: Redis): KeyRevocations {
  const listeners: RevocationListener[] = [];
  const pending = new Set<string>();
  const notify = (keyId: string | undefined) => {
    for (const listener of listeners) listener(keyId);
  };

  subscriber.on('message', (channel: string, message: string) => {
    if (channel === REVOCATION_CHANNEL && message) notify(message);
  });
  // Subscribing on every 'ready' also covers a Redis that was down when this process started. Once subscribed
  // again after an outage, the cache is forgotten: revocations of the outage were not delivered here.
  let subscribedOnce = false;
  const subscribe = () => {
    subscriber.subscribe(REVOCATION_CHANNEL).then(
      () => {
        if (subscribedOnce) notify(undefined);
        subscribedOnce = true;
      },
      () => undefined,
    );
  };
  subscriber.on('ready', subscribe);
  if (subscriber.status === 'ready') subscribe();

  async function publish(keyId: string): Promise<boolean> {
    if (publisher.status !== 'ready') return false;
    try {
      await publisher.publish(REVOCATION_CHANNEL, keyId);
      return true;
    } catch {
      return false;
    }
  }

  publisher.on('ready', () => {
    for (const keyId of [...pending]) {
      pending.delete(keyId);
      publish(keyId).then((sent) => {
        if (!sent && pending.size < MAX_PENDING) pending.add(keyId);
      });
    }
  });

  return {
    async announce(keyId) {
      if (await publish(keyId)) return;
      if (pending.size < MAX_PENDING) pending.add(keyId);
    },
    onRevoked(listener) {
      listeners.push(listener);
    },
  };
}
