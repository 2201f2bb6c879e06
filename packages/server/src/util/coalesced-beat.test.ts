import { describe, expect, it } from 'vitest';
import { coalescedBeat } from './coalesced-beat.js';

/** A write the test finishes by hand, counting how many were started and how many ran at once. */
function manualWrites() {
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let started = 0;
  let running = 0;
  let mostAtOnce = 0;
  const write = () =>
    new Promise<void>((resolve, reject) => {
      started += 1;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const done = () => {
        running -= 1;
      };
      pending.push({
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  const next = async () => {
    for (let i = 0; i < 50 && pending.length === 0; i += 1) await new Promise((r) => setImmediate(r));
    const entry = pending.shift();
    if (!entry) throw new Error('no write started');
    return entry;
  };
  return {
    write,
    next,
    get started() {
      return started;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('coalescedBeat', () => {
  it('coalesces beats asked for during a write into exactly one more write', async () => {
    const writes = manualWrites();
    const { beat } = coalescedBeat(writes.write);
    const first = beat();
    const joined = [beat(), beat(), beat()];
    (await writes.next()).resolve();
    await settle();
    expect(writes.started).toBe(2);
    (await writes.next()).resolve();
    await Promise.all([first, ...joined]);
    expect(writes.started).toBe(2);
    expect(writes.mostAtOnce).toBe(1);
  });

  it('writes once when nothing is asked for during the write', async () => {
    const writes = manualWrites();
    const { beat } = coalescedBeat(writes.write);
    const done = beat();
    (await writes.next()).resolve();
    await done;
    expect(writes.started).toBe(1);
  });

  it('reports a failed write, resolves, and the next beat writes again', async () => {
    const writes = manualWrites();
    const errors: unknown[] = [];
    const { beat } = coalescedBeat(writes.write, (error) => errors.push(error));
    const failed = beat();
    (await writes.next()).reject(new Error('backend down'));
    await expect(failed).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('backend down');

    const after = beat();
    (await writes.next()).resolve();
    await after;
    expect(writes.started).toBe(2);
  });

  it('survives a write that throws synchronously', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const { beat } = coalescedBeat(
      () => {
        calls += 1;
        throw new Error('sync');
      },
      (error) => errors.push(error),
    );
    await beat();
    await beat();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('stop waits for the write in progress, drops the asked-for extra one, and starts no more', async () => {
    const writes = manualWrites();
    const { beat, stop } = coalescedBeat(writes.write);
    void beat();
    void beat();
    const entry = await writes.next();
    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    entry.resolve();
    await stopping;
    await beat();
    expect(writes.started).toBe(1);
  });
});
