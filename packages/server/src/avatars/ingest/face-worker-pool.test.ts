import { afterEach, describe, expect, it } from 'vitest';
import { blankJpeg, portrait } from '../../testing/avatar-fixtures.js';
import type { FaceIngestor } from './face-ingest.js';
import { createFaceWorkerPool } from './face-worker-pool.js';

let pool: FaceIngestor | undefined;
afterEach(() => pool?.close());

describe('face worker pool', () => {
  it('ingests on a worker: rigs for every aspect ratio, a preview and an image; refusals come back as data', async () => {
    pool = createFaceWorkerPool({ size: 1, maxQueue: 4 });
    const outcome = await pool.ingest(await portrait());
    if (!outcome.ok) throw new Error(outcome.refusal.message);
    expect(Object.keys(outcome.face.rigs).sort()).toEqual(['1:1', '3:4', '4:3']);
    expect(outcome.face.preview.byteLength).toBeGreaterThan(10_000);
    const refused = await pool.ingest(await blankJpeg());
    expect(refused).toEqual({
      ok: false,
      refusal: { code: 'NO_FACE', message: expect.stringContaining('No face') },
    });
  });

  it('answers 503 NO_CAPACITY beyond its queue instead of piling up work', async () => {
    pool = createFaceWorkerPool({ size: 1, maxQueue: 1 });
    const photo = await portrait();
    const results = await Promise.allSettled([pool.ingest(photo), pool.ingest(photo), pool.ingest(photo)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'NO_CAPACITY', status: 503 });
  });

  it('kills a job that runs too long and replaces the worker for the next one', async () => {
    const options = { size: 1, maxQueue: 4, jobTimeoutMs: 1 };
    pool = createFaceWorkerPool(options);
    await expect(pool.ingest(await portrait())).rejects.toThrow('face worker stopped');
    options.jobTimeoutMs = 60_000; // read per job: the same pool, now with a fresh worker, succeeds
    expect((await pool.ingest(await portrait())).ok).toBe(true);
  });
});
