/**
 * The webhook outbox pruner on PGlite and PostgreSQL: succeeded deliveries go after the delivered retention,
 * failed (dead) ones after the dead retention, pending ones never; events go once no delivery is left (a
 * pending or still-kept delivery keeps its event). Runs are bounded (batches × max batches) and finish the
 * backlog over several runs; two stores pruning at once (PostgreSQL: two connection pools, like two server
 * processes) delete every row exactly once between them.
 */
import { newId, openStore, type Store } from '@agenthuman/store';
import { describeWithStore } from '@agenthuman/store/testing/store-fixture';
import { expect, it } from 'vitest';
import { createOutboxPruner } from './outbox-pruner.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

type Kind = 'succeeded' | 'failed' | 'pending';

/** An event created `ageDays` ago with one delivery per kind given (its delivery/attempt time = event time). */
async function seed(store: Store, endpointId: string, accountId: string, ageDays: number, kinds: Kind[]) {
  const at = daysAgo(ageDays);
  const event = await store.webhooks.insertEvent({
    id: newId('evt'),
    accountId,
    type: 'session.ended',
    payload: { type: 'session.ended', timestamp: at.toISOString(), data: {} },
    createdAt: at,
  });
  if (kinds.length > 0) {
    await store.webhooks.insertDeliveries(
      kinds.map((status) => ({
        id: newId('whd'),
        endpointId,
        eventId: event.id,
        status,
        attempts: status === 'pending' ? 0 : 1,
        nextAttemptAt: status === 'pending' ? at : null,
        lastAttemptAt: status === 'pending' ? null : at,
        deliveredAt: status === 'succeeded' ? at : null,
        createdAt: at,
      })),
    );
  }
  return event.id;
}

async function counts(store: Store, endpointId: string) {
  const deliveries = await store.webhooks.listDeliveries(endpointId, 100_000);
  const byStatus = (status: Kind) => deliveries.filter((d) => d.status === status).length;
  return { succeeded: byStatus('succeeded'), failed: byStatus('failed'), pending: byStatus('pending') };
}

describeWithStore('webhook outbox pruning', (fixture) => {
  const store = () => fixture().store;

  async function newEndpoint() {
    const account = await store().accounts.create({ name: 'outbox', plan: 'pro' });
    const endpoint = await store().webhooks.createEndpoint({
      id: newId('whk'),
      accountId: account.id,
      url: 'https://example.com/hook',
      secret: 'whsec_test',
    });
    return { accountId: account.id, endpointId: endpoint.id };
  }

  it('keeps what is within its retention and pending deliveries; deletes the rest, events last', async () => {
    const { accountId, endpointId } = await newEndpoint();
    const recentDone = await seed(store(), endpointId, accountId, 6, ['succeeded']);
    const oldDone = await seed(store(), endpointId, accountId, 8, ['succeeded']);
    const recentDead = await seed(store(), endpointId, accountId, 29, ['failed']);
    const oldDead = await seed(store(), endpointId, accountId, 31, ['failed']);
    // One endpoint delivered, another still trying (a disabled endpoint's deliveries wait): the event stays.
    const stillPending = await seed(store(), endpointId, accountId, 40, ['succeeded', 'pending']);
    const noEndpoint = await seed(store(), endpointId, accountId, 8, []);
    const freshNoEndpoint = await seed(store(), endpointId, accountId, 1, []);

    const pruner = createOutboxPruner({ store: store(), onError: (error) => expect.fail(String(error)) });
    const pruned = await pruner.runOnce(NOW);
    expect(pruned.delivered).toBeGreaterThanOrEqual(2);
    expect(pruned.dead).toBeGreaterThanOrEqual(1);
    expect(await counts(store(), endpointId)).toEqual({ succeeded: 1, failed: 1, pending: 1 });
    const exists = async (id: string) => (await store().webhooks.findEvent(id)) !== undefined;
    expect({
      recentDone: await exists(recentDone),
      oldDone: await exists(oldDone),
      recentDead: await exists(recentDead),
      oldDead: await exists(oldDead),
      stillPending: await exists(stillPending),
      noEndpoint: await exists(noEndpoint),
      freshNoEndpoint: await exists(freshNoEndpoint),
    }).toEqual({
      recentDone: true,
      oldDone: false,
      recentDead: true,
      oldDead: false,
      stillPending: true,
      noEndpoint: false,
      freshNoEndpoint: true,
    });
  });

  it('takes the retention from its options', async () => {
    const { accountId, endpointId } = await newEndpoint();
    await seed(store(), endpointId, accountId, 2, ['succeeded']);
    await seed(store(), endpointId, accountId, 2, ['failed']);
    const pruner = createOutboxPruner({
      store: store(),
      deliveredRetentionMs: DAY,
      deadRetentionMs: 3 * DAY,
    });
    await pruner.runOnce(NOW);
    expect(await counts(store(), endpointId)).toEqual({ succeeded: 0, failed: 1, pending: 0 });
  });

  it('deletes at most batchSize × maxBatches a run, and the backlog over several runs', async () => {
    const { accountId, endpointId } = await newEndpoint();
    for (let i = 0; i < 25; i++) await seed(store(), endpointId, accountId, 10, ['succeeded']);
    const pruner = createOutboxPruner({ store: store(), batchSize: 4, maxBatches: 3 });
    const first = await pruner.runOnce(NOW);
    expect(first.delivered).toBeLessThanOrEqual(12);
    expect((await counts(store(), endpointId)).succeeded).toBeGreaterThanOrEqual(13);
    for (let run = 0; run < 5; run++) await pruner.runOnce(NOW);
    expect((await counts(store(), endpointId)).succeeded).toBe(0);
  });

  it('shares the work with another process pruning at the same time: every row deleted once', async () => {
    const { accountId, endpointId } = await newEndpoint();
    const before = await store().webhooks.listDeliveries(endpointId, 1000);
    expect(before).toHaveLength(0);
    for (let i = 0; i < 60; i++) await seed(store(), endpointId, accountId, 10, ['succeeded']);
    // PostgreSQL: a second pool on the same database, as a second server process has. PGlite belongs to one
    // process, so there the two pruners share its one connection.
    const { backend, database } = fixture();
    const other = backend === 'postgres' ? await openStore(database) : store();
    try {
      const a = createOutboxPruner({ store: store(), batchSize: 5, maxBatches: 100 });
      const b = createOutboxPruner({ store: other, batchSize: 5, maxBatches: 100 });
      const [ra, rb] = await Promise.all([a.runOnce(NOW), b.runOnce(NOW)]);
      expect((await counts(store(), endpointId)).succeeded).toBe(0);
      // Rows of the tests before are gone already; this test's 60 were each deleted by exactly one of them.
      expect(ra.delivered + rb.delivered).toBe(60);
      expect(ra.events + rb.events).toBe(60);
    } finally {
      if (other !== store()) await other.close();
    }
  });
});
