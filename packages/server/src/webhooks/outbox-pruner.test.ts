/**
 * The webhook outbox pruner on PGlite and PostgreSQL: succeeded deliveries go after the delivered retention,
 * failed (dead) ones after the dead retention, pending ones never; events go once no delivery is left (a
 * pending or still-kept delivery keeps its event). Runs are bounded (batches × max batches) and finish the
 * backlog over several runs; two stores pruning at once (PostgreSQL: two connection pools, like two server
 * processes) delete every row exactly once between them.
 */
import { openStore, type Store } from '@agenthuman/store';
import { describeWithStore } from '@agenthuman/store/testing/store-fixture';
import { expect, it } from 'vitest';
import { DAY, type DeliveryKind, deliveryCounts, newEndpoint, seedEvent } from './outbox-fixture.js';
import { createOutboxPruner } from './outbox-pruner.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/** An event `ageDays` old with one delivery per kind given; its id. */
const seed = async (
  store: Store,
  endpointId: string,
  accountId: string,
  ageDays: number,
  kinds: DeliveryKind[],
) => (await seedEvent(store, endpointId, accountId, daysAgo(ageDays), kinds)).eventId;

describeWithStore('webhook outbox pruning', (fixture) => {
  const store = () => fixture().store;

  it('keeps what is within its retention and pending deliveries; deletes the rest, events last', async () => {
    const { accountId, endpointId } = await newEndpoint(store());
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
    expect(await deliveryCounts(store(), endpointId)).toEqual({ succeeded: 1, failed: 1, pending: 1 });
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
    const { accountId, endpointId } = await newEndpoint(store());
    await seed(store(), endpointId, accountId, 2, ['succeeded']);
    await seed(store(), endpointId, accountId, 2, ['failed']);
    const pruner = createOutboxPruner({
      store: store(),
      deliveredRetentionMs: DAY,
      deadRetentionMs: 3 * DAY,
    });
    await pruner.runOnce(NOW);
    expect(await deliveryCounts(store(), endpointId)).toEqual({ succeeded: 0, failed: 1, pending: 0 });
  });

  it('deletes at most batchSize × maxBatches a run, and the backlog over several runs', async () => {
    const { accountId, endpointId } = await newEndpoint(store());
    for (let i = 0; i < 25; i++) await seed(store(), endpointId, accountId, 10, ['succeeded']);
    const pruner = createOutboxPruner({ store: store(), batchSize: 4, maxBatches: 3 });
    const first = await pruner.runOnce(NOW);
    expect(first.delivered).toBeLessThanOrEqual(12);
    expect((await deliveryCounts(store(), endpointId)).succeeded).toBeGreaterThanOrEqual(13);
    for (let run = 0; run < 5; run++) await pruner.runOnce(NOW);
    expect((await deliveryCounts(store(), endpointId)).succeeded).toBe(0);
  });

  it('shares the work with another process pruning at the same time: every row deleted once', async () => {
    const { accountId, endpointId } = await newEndpoint(store());
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
      expect((await deliveryCounts(store(), endpointId)).succeeded).toBe(0);
      // Rows of the tests before are gone already; this test's 60 were each deleted by exactly one of them.
      expect(ra.delivered + rb.delivered).toBe(60);
      expect(ra.events + rb.events).toBe(60);
    } finally {
      if (other !== store()) await other.close();
    }
  });
});
