/** @module BlobStore on the local disk (the default): one file per key under `<dataDir>/blobs`. */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.js';

export function createFsBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return join(root, key);
  };
  /** Writes aside then renames: a reader (or a crash) never sees half a file. */
  async function writeAtomically(key: string, write: (temp: string) => Promise<void>) {
    const path = pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await write(temp);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  return {
    kind: 'fs',
    put: (key, bytes) => writeAtomically(key, (temp) => writeFile(temp, bytes)),
    // copyFile copies in the kernel (or clones on copy-on-write file systems): the bytes never enter the process.
    putFile: (key, source) => writeAtomically(key, (temp) => copyFile(source, temp)),
    async get(key) {
      const data = await orMissing(readFile(pathOf(key)));
      return data && new Uint8Array(data.buffer, data.byteOffset, data.length);
    },
    async size(key) {
      return (await orMissing(stat(pathOf(key))))?.size;
    },
    async read(key, range) {
      // Opened first, so a missing blob is undefined rather than an error on the stream.
      const handle = await orMissing(open(pathOf(key)));
      return handle?.createReadStream(range && { start: range.start, end: range.end });
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

async function orMissing<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
