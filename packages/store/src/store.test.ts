import { expect, it } from 'vitest';
import { describeWithStore } from './testing/store-fixture.js';

describeWithStore('store', (fixture) => {
  const store = () => fixture().store;

  it('gives each row a prefixed id and an increasing integer id', async () => {
    const a = await store().accounts.create({ name: 'a', plan: 'free' });
    const b = await store().accounts.create({ name: 'b', plan: 'pro' });
    expect(a.id).toMatch(/^acct_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(b.seq).toBeGreaterThan(a.seq);
  });

  it('finds an API key by hash together with its account', async () => {
    const account = await store().accounts.create({ name: 'k', plan: 'free' });
    const key = await store().apiKeys.create({
      accountId: account.id,
      name: 'x',
      keyHash: `h-${account.id}`,
      prefix: 'ah_',
    });
    const found = await store().apiKeys.findByHash(`h-${account.id}`);
    expect(found?.key.id).toBe(key.id);
    expect(found?.account.plan).toBe('free');
    expect(await store().apiKeys.findByHash('nope')).toBeUndefined();
  });

  it('ends a running session exactly once', async () => {
    const account = await store().accounts.create({ name: 's', plan: 'free' });
    const session = await store().sessions.insert({
      id: `sess_${account.id}`,
      accountId: account.id,
      sessionType: 'webrtc_video',
      aspectRatio: '4:3',
      tokenHash: 'x',
      startedAt: new Date(),
    });
    const end = {
      endedAt: new Date(),
      endReason: 'client',
      minutesCharged: 1,
      includedMinutesUsed: 1,
      purchasedMinutesUsed: 0,
    };
    expect((await store().sessions.markEnded(session.id, end))?.endReason).toBe('client');
    expect(await store().sessions.markEnded(session.id, { ...end, endReason: 'expired' })).toBeUndefined();
    expect(await store().sessions.countRunning(account.id)).toBe(0);
  });

  it('rolls a transaction back when its work throws', async () => {
    const account = await store().accounts.create({ name: 't', plan: 'free' });
    await expect(
      store().transaction(async (repos) => {
        await repos.accounts.update(account.id, { addPurchasedMinutes: 50 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store().accounts.findById(account.id))?.purchasedMinutesRemaining).toBe(0);
  });

  it('keeps the first value written for a setting', async () => {
    const first = await store().settings.getOrCreate('secret', () => 'one');
    const second = await store().settings.getOrCreate('secret', () => 'two');
    expect([first, second]).toEqual(['one', 'one']);
  });

  it('keeps data across a reopen', async () => {
    const account = await store().accounts.create({ name: 'durable', plan: 'growth' });
    await fixture().reopen();
    expect((await store().accounts.findById(account.id))?.name).toBe('durable');
  });
});
