/**
 * The worker registry against a real redis-server (Debian): a registered worker is in the directory's next
 * read, and gone once it leaves. A Redis that accepts connections but never answers (a FAKE: a loopback TCP
 * listener that reads and stays silent, what a stuck server looks like) makes a read give up after its
 * 1 s bound and the view unhealthy, instead of waiting forever.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { closeRedisClient, createRedisClient } from './redis.js';
import { createWorkerDirectory, registerWorker } from './worker-registry.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('worker registry', () => {
  it('shows a registered worker until it leaves', async () => {
    const writer = createRedisClient(redis.url);
    const reader = createRedisClient(redis.url);
    const worker = registerWorker(writer, () => ({
      id: 'w1',
      url: 'http://127.0.0.1:1',
      capacity: 4,
      load: 1,
    }));
    const directory = createWorkerDirectory(reader, { refreshMs: 60_000 });
    try {
      await worker.beat();
      await directory.refresh();
      expect(directory.healthy).toBe(true);
      expect(directory.get('w1')).toEqual({ id: 'w1', url: 'http://127.0.0.1:1', capacity: 4, load: 1 });
      await worker.stop();
      await directory.refresh();
      expect(directory.get('w1')).toBeUndefined();
    } finally {
      directory.close();
      await closeRedisClient(writer);
      await closeRedisClient(reader);
    }
  });

  it('gives up a read after 1 s when Redis never answers, and says it cannot tell', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    // No ready check and no command timeout: only the directory's own bound can end the read.
    const stuck = new Redis({ host: '127.0.0.1', port, enableReadyCheck: false, maxRetriesPerRequest: null });
    const directory = createWorkerDirectory(stuck, { refreshMs: 60_000 });
    try {
      const started = Date.now();
      await directory.refresh();
      const took = Date.now() - started;
      expect(directory.healthy).toBe(false);
      expect(took).toBeGreaterThanOrEqual(950);
      expect(took).toBeLessThan(5000);
    } finally {
      directory.close();
      stuck.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
