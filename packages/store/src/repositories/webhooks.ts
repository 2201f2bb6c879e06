/**
 * @module Webhook endpoints, the event outbox and its deliveries. `claimDue` is the only way a delivery is
 * picked for sending: it takes an endpoint's oldest pending delivery only (per-endpoint order), skips rows
 * another process has locked, and leases what it takes, so no two processes send one attempt at once.
 * `pruneOutbox` deletes what is done with, a bounded batch at a time.
 */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from '../schema.js';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = typeof webhookEndpoints.$inferInsert;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryWithEvent = WebhookDeliveryRow & { eventType: string };

/** A claimed delivery with what sending it needs. */
export type DueDelivery = {
  delivery: WebhookDeliveryRow;
  url: string;
  secret: string;
  eventId: string;
  payload: Record<string, unknown>;
  eventCreatedAt: Date;
};

/** What one attempt changed; the row is only updated while `owner` still holds its lease. */
export type AttemptOutcome = {
  status: 'pending' | 'succeeded' | 'failed';
  attemptAt: Date;
  nextAttemptAt: Date | null;
  responseStatus: number | null;
  latencyMs: number | null;
  lastError: string | null;
};

/** What one pruning batch may delete: rows older than these, at most `limit` of each kind. */
export type OutboxPruneBatch = {
  /** Succeeded deliveries delivered before this. */
  deliveredBefore: Date;
  /** Failed (dead) deliveries whose last attempt was before this. */
  deadBefore: Date;
  /** Events created before this with no delivery left. */
  eventsBefore: Date;
  limit: number;
};

export type OutboxPruned = { delivered: number; dead: number; events: number };

export function createWebhooksRepository(db: Database) {
  const withEventType = () =>
    db
      .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId));

  return {
    async createEndpoint(values: NewWebhookEndpoint): Promise<WebhookEndpointRow> {
      const [row] = await db.insert(webhookEndpoints).values(values).returning();
      return row!;
    },

    /** The account's own endpoints (not sessions' callback URLs), oldest first. */
    listEndpoints(accountId: string): Promise<WebhookEndpointRow[]> {
      return db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.sessionId)))
        .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
    },

    async findEndpointForAccount(accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
      const [row] = await db
        .select()
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.id, id),
            eq(webhookEndpoints.accountId, accountId),
            isNull(webhookEndpoints.sessionId),
          ),
        );
      return row;
    },

    async deleteEndpoint(accountId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.id, id),
            eq(webhookEndpoints.accountId, accountId),
            isNull(webhookEndpoints.sessionId),
          ),
        )
        .returning({ id: webhookEndpoints.id });
      return rows.length > 0;
    },

    async enableEndpoint(accountId: string, id: string): Promise<WebhookEndpointRow | undefined> {
      const [row] = await db
        .update(webhookEndpoints)
        .set({ disabledAt: null, disabledReason: null, failingSince: null })
        .where(
          and(
            eq(webhookEndpoints.id, id),
            eq(webhookEndpoints.accountId, accountId),
            isNull(webhookEndpoints.sessionId),
          ),
        )
        .returning();
      return row;
    },

    /**
     * The enabled endpoints an event of `type` goes to: the account's endpoints subscribed to it, plus the
     * session's callback URL when the event belongs to a session.
     */
    listTargets(accountId: string, type: string, sessionId: string | null): Promise<WebhookEndpointRow[]> {
      const accountWide = and(
        isNull(webhookEndpoints.sessionId),
        or(
          sql`${webhookEndpoints.events} = '[]'::jsonb`,
          sql`${webhookEndpoints.events} @> ${JSON.stringify([type])}::jsonb`,
        ),
      );
      const ofSession = sessionId === null ? undefined : eq(webhookEndpoints.sessionId, sessionId);
      return db
        .select()
        .from(webhookEndpoints)
        .where(
          and(
            eq(webhookEndpoints.accountId, accountId),
            isNull(webhookEndpoints.disabledAt),
            ofSession ? or(accountWide, ofSession) : accountWide,
          ),
        );
    },

    async insertEvent(values: typeof webhookEvents.$inferInsert): Promise<WebhookEventRow> {
      const [row] = await db.insert(webhookEvents).values(values).returning();
      return row!;
    },

    async insertDeliveries(values: (typeof webhookDeliveries.$inferInsert)[]): Promise<WebhookDeliveryRow[]> {
      if (values.length === 0) return [];
      return db.insert(webhookDeliveries).values(values).returning();
    },

    /** Newest first. */
    async listDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryWithEvent[]> {
      const rows = await withEventType()
        .where(eq(webhookDeliveries.endpointId, endpointId))
        .orderBy(desc(webhookDeliveries.seq))
        .limit(limit);
      return rows.map((r) => ({ ...r.delivery, eventType: r.eventType }));
    },

    async findDelivery(endpointId: string, id: string): Promise<WebhookDeliveryWithEvent | undefined> {
      const [row] = await withEventType().where(
        and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId)),
      );
      return row && { ...row.delivery, eventType: row.eventType };
    },

    /**
     * The delivery a replay copies, with its event locked (KEY SHARE) until the transaction ends: the outbox
     * pruner skips locked events, so the replay's new delivery cannot lose its event between this read and
     * its insert. Undefined when the delivery or its event is gone (pruned). Call inside store.transaction:
     * outside one the lock ends with the statement.
     */
    async findDeliveryForReplay(
      endpointId: string,
      id: string,
    ): Promise<WebhookDeliveryWithEvent | undefined> {
      const [row] = await withEventType()
        .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId)))
        .for('key share', { of: webhookEvents });
      return row && { ...row.delivery, eventType: row.eventType };
    },

    async findEvent(id: string): Promise<WebhookEventRow | undefined> {
      const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
      return row;
    },

    /**
     * Leases up to `limit` due deliveries for `owner` until `leaseUntil`. Only the oldest pending delivery of
     * each enabled endpoint qualifies, so an endpoint's next event waits for the previous one; rows locked by
     * another process's claim are skipped, not waited for.
     */
    async claimDue(options: {
      now: Date;
      owner: string;
      leaseUntil: Date;
      limit: number;
    }): Promise<DueDelivery[]> {
      const { now, owner, leaseUntil, limit } = options;
      const result = await db.execute(sql`
        update webhook_deliveries as d
        set lease_owner = ${owner}, lease_until = ${leaseUntil.toISOString()}::timestamptz
        from (
          select c.id from webhook_deliveries c
          join webhook_endpoints e on e.id = c.endpoint_id
          where c.status = 'pending'
            and c.next_attempt_at <= ${now.toISOString()}::timestamptz
            and (c.lease_until is null or c.lease_until < ${now.toISOString()}::timestamptz)
            and e.disabled_at is null
            and not exists (
              select 1 from webhook_deliveries p
              where p.endpoint_id = c.endpoint_id and p.status = 'pending' and p.seq < c.seq
            )
          order by c.next_attempt_at, c.seq
          limit ${limit}
          for update of c skip locked
        ) as claimed
        where d.id = claimed.id
        returning d.id`);
      const ids = (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .select({
          delivery: webhookDeliveries,
          url: webhookEndpoints.url,
          secret: webhookEndpoints.secret,
          payload: webhookEvents.payload,
          eventCreatedAt: webhookEvents.createdAt,
        })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
        .where(inArray(webhookDeliveries.id, ids))
        .orderBy(asc(webhookDeliveries.seq));
      return rows.map((r) => ({
        delivery: r.delivery,
        url: r.url,
        secret: r.secret,
        eventId: r.delivery.eventId,
        payload: r.payload,
        eventCreatedAt: r.eventCreatedAt,
      }));
    },

    /** Records one attempt and releases the lease; false when the lease was lost (another process retried). */
    async recordAttempt(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
      const rows = await db
        .update(webhookDeliveries)
        .set({
          status: outcome.status,
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastAttemptAt: outcome.attemptAt,
          nextAttemptAt: outcome.nextAttemptAt,
          responseStatus: outcome.responseStatus,
          latencyMs: outcome.latencyMs,
          lastError: outcome.lastError,
          deliveredAt: outcome.status === 'succeeded' ? outcome.attemptAt : null,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.leaseOwner, owner)))
        .returning({ id: webhookDeliveries.id });
      return rows.length > 0;
    },

    async endpointSucceeded(endpointId: string): Promise<void> {
      await db
        .update(webhookEndpoints)
        .set({ failingSince: null })
        .where(and(eq(webhookEndpoints.id, endpointId), sql`${webhookEndpoints.failingSince} is not null`));
    },

    /**
     * Notes a failed attempt; disables the endpoint when its failures began at or before `disableIfFailingSince`.
     * Returns true when this call disabled it.
     */
    async endpointFailed(
      endpointId: string,
      at: Date,
      disableIfFailingSince: Date,
      reason: string,
    ): Promise<boolean> {
      await db
        .update(webhookEndpoints)
        .set({ failingSince: at })
        .where(and(eq(webhookEndpoints.id, endpointId), isNull(webhookEndpoints.failingSince)));
      const disabled = await db
        .update(webhookEndpoints)
        .set({ disabledAt: at, disabledReason: reason })
        .where(
          and(
            eq(webhookEndpoints.id, endpointId),
            isNull(webhookEndpoints.disabledAt),
            lte(webhookEndpoints.failingSince, disableIfFailingSince),
          ),
        )
        .returning({ id: webhookEndpoints.id });
      return disabled.length > 0;
    },

    /**
     * One batch of the outbox pruner. Rows another transaction holds are skipped, not waited for (SKIP
     * LOCKED), so several processes prune side by side and never block the dispatcher's claims. Events go only
     * once no delivery (pending, or kept for its retention) points at them.
     */
    async pruneOutbox(batch: OutboxPruneBatch): Promise<OutboxPruned> {
      const deleted = (result: unknown) => (result as { rows: unknown[] }).rows.length;
      // Literals, not parameters, in the status test: the planner matches them to the partial indexes.
      const deleteDeliveries = (status: 'succeeded' | 'failed', column: string, before: Date) =>
        db.execute(sql`
          delete from webhook_deliveries where id in (
            select id from webhook_deliveries
            where status = ${sql.raw(`'${status}'`)} and ${sql.raw(column)} < ${before.toISOString()}::timestamptz
            limit ${batch.limit}
            for update skip locked)
          returning id`);
      const delivered = await deleteDeliveries('succeeded', 'delivered_at', batch.deliveredBefore);
      const dead = await deleteDeliveries('failed', 'last_attempt_at', batch.deadBefore);
      const events = await db.execute(sql`
        delete from webhook_events where id in (
          select e.id from webhook_events e
          where e.created_at < ${batch.eventsBefore.toISOString()}::timestamptz
            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id)
          order by e.created_at
          limit ${batch.limit}
          for update of e skip locked)
        returning id`);
      return { delivered: deleted(delivered), dead: deleted(dead), events: deleted(events) };
    },
  };
}
