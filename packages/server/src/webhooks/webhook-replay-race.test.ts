/**
 * Replaying a delivery while the outbox pruner deletes it (it is past its retention): the replay either
 * succeeds, its event kept for the new delivery, or reads like an unknown delivery (404
 * WEBHOOK_DELIVERY_NOT_FOUND), never a foreign-key error. PostgreSQL also runs the pruner exactly between the
 * replay's lookup and its insert, from a second pool (a second server process); PGlite has one connection,
 * which the replay's transaction holds, so nothing can run there in between.
 */
import { openStore, type Store } from '@agenthuman/store';
import { describeWithStore } from '@agenthuman/store/testing/store-fixture';
import { expect, it } from 'vitest';
import { AppError } from '../http/app-error.js';
import { type ManageWebhooksDeps, replayDelivery } from './manage-webhooks.js';
import { DAY, deliveryCounts, newEndpoint, seedEvent } from './outbox-fixture.js';
import { createOutboxPruner } from './outbox-pruner.js';

const tenDaysAgo = () => new Date(Date.now() - 10 * DAY);

/** No dispatcher runs in these tests: nothing to wake, no URL to check. */
const deps = (store: Store): ManageWebhooksDeps => ({
  store,
  webhooks: { checkUrl: async () => undefined, wake: () => undefined },
});

/** `store` whose replay transactions run `between` right after their lookup of the original delivery. */
function pausingAfterLookup(store: Store, between: () => Promise<void>): Store {
  return {
    ...store,
    transaction: (work) =>
      store.transaction((repos) =>
        work({
          ...repos,
          webhooks: {
            ...repos.webhooks,
            async findDeliveryForReplay(endpointId, id) {
              const found = await repos.webhooks.findDeliveryForReplay(endpointId, id);
              await between();
              return found;
            },
          },
        }),
      ),
  };
}

const notFound = (error: unknown) =>
  error instanceof AppError && error.code === 'WEBHOOK_DELIVERY_NOT_FOUND' && error.status === 404;

describeWithStore('webhook replay racing the outbox pruner', (fixture, backend) => {
  const store = () => fixture().store;

  it('a delivery pruned before the replay reads like an unknown one: 404 WEBHOOK_DELIVERY_NOT_FOUND', async () => {
    const { accountId, endpointId } = await newEndpoint(store());
    const { deliveryIds } = await seedEvent(store(), endpointId, accountId, tenDaysAgo(), ['succeeded']);
    await createOutboxPruner({ store: store() }).runOnce();
    const replay = replayDelivery(deps(store()), accountId, endpointId, deliveryIds[0]!);
    await expect(replay).rejects.toSatisfy(notFound);
  });

  it('replays and a pruner at once: each replay succeeds with its event kept, or is not found', async () => {
    const { accountId, endpointId } = await newEndpoint(store());
    const seeded = [];
    for (let i = 0; i < 12; i++) {
      seeded.push(await seedEvent(store(), endpointId, accountId, tenDaysAgo(), ['succeeded']));
    }
    // PostgreSQL: the pruner on its own pool, truly concurrent with the replays.
    const { database } = fixture();
    const other = backend === 'postgres' ? await openStore(database) : store();
    try {
      const errors: unknown[] = [];
      const pruner = createOutboxPruner({
        store: other,
        batchSize: 3,
        onError: (error) => errors.push(error),
      });
      const [outcomes] = await Promise.all([
        Promise.allSettled(
          seeded.map((s) => replayDelivery(deps(store()), accountId, endpointId, s.deliveryIds[0]!)),
        ),
        pruner.runOnce(),
      ]);
      expect(errors).toEqual([]);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason, String(outcome.reason)).toSatisfy(notFound);
          continue;
        }
        expect(outcome.value).toMatchObject({ eventId: seeded[i]!.eventId, status: 'pending' });
        expect(await store().webhooks.findEvent(seeded[i]!.eventId)).toBeDefined();
      }
      const replayed = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect((await deliveryCounts(store(), endpointId)).pending).toBe(replayed);
    } finally {
      if (other !== store()) await other.close();
    }
  });

  if (backend !== 'postgres') return; // PGlite: one connection, held by the replay's transaction.
  it('the pruner between the replay’s lookup and its insert skips the event: the replay goes out', async () => {
    const { database } = fixture();
    const { accountId, endpointId } = await newEndpoint(store());
    const { eventId, deliveryIds } = await seedEvent(store(), endpointId, accountId, tenDaysAgo(), [
      'succeeded',
    ]);
    const other = await openStore(database);
    try {
      let pruned = { delivered: 0, dead: 0, events: 0 };
      const racing = pausingAfterLookup(store(), async () => {
        pruned = await createOutboxPruner({
          store: other,
          onError: (error) => expect.fail(String(error)),
        }).runOnce();
      });
      const replay = await replayDelivery(deps(racing), accountId, endpointId, deliveryIds[0]!);
      // The original went; its event stayed (locked by the replay), and the replay's delivery now holds it.
      expect(pruned.delivered).toBeGreaterThanOrEqual(1);
      expect(replay).toMatchObject({ eventId, status: 'pending' });
      expect(await store().webhooks.findEvent(eventId)).toBeDefined();
      expect(await deliveryCounts(store(), endpointId)).toEqual({ succeeded: 0, failed: 0, pending: 1 });
    } finally {
      await other.close();
    }
  });
});
