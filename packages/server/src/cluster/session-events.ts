/**
 * @module Session events between processes over Redis pub/sub (`agenthuman:session-ended`): whichever process
 * ends a session publishes it; workers release its media (its socket hears `session.ended` first), API relays
 * tell clients whose worker is gone. The database stays authoritative: a lost message is caught by the
 * workers' heartbeat (disowned rows) and by the relays' database check.
 */
import type { EndReason } from '@agenthuman/protocol';
import type { Redis } from 'ioredis';

const CHANNEL = 'agenthuman:session-ended';

export type SessionEndedEvent = { sessionId: string; reason: EndReason };
export type SessionEvents = ReturnType<typeof createSessionEvents>;

/** `redis` publishes; `subscriber` (its own connection: a subscribed one can do nothing else) listens. */
export function createSessionEvents(redis: Redis, subscriber: Redis, onError?: (error: unknown) => void) {
  const listeners = new Set<(event: SessionEndedEvent) => void>();
  // ioredis re-subscribes by itself after a reconnect (Redis restart).
  subscriber.subscribe(CHANNEL).catch((error: unknown) => onError?.(error));
  subscriber.on('message', (channel, message) => {
    if (channel !== CHANNEL) return;
    const event = parse(message);
    if (event) for (const listener of listeners) listener(event);
  });

  return {
    publishEnded(event: SessionEndedEvent): void {
      redis.publish(CHANNEL, JSON.stringify(event)).catch((error: unknown) => onError?.(error));
    },
    onEnded(listener: (event: SessionEndedEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      listeners.clear();
    },
  };
}

function parse(message: string): SessionEndedEvent | undefined {
  try {
    const event = JSON.parse(message) as Partial<SessionEndedEvent>;
    return typeof event.sessionId === 'string' && typeof event.reason === 'string'
      ? (event as SessionEndedEvent)
      : undefined;
  } catch {
    return undefined;
  }
}
