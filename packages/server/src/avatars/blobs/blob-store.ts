/**
 * @module Where avatar files and recordings live: a small key → bytes interface, on the local disk or
 * S3-compatible storage. Small files (avatar images, rigs) go as whole byte arrays; large ones (recordings) as
 * streams, so no process ever holds a whole recording.
 */
import type { Readable } from 'node:stream';

/** Bytes `start` to `end` of a blob, both included (as in an HTTP Range). */
export type ByteRange = { start: number; end: number };

export interface BlobStore {
  readonly kind: 'fs' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Stores a local file by streaming it; the file is left where it is. */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  /** undefined when there is no such blob. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** The blob's size in bytes; undefined when there is no such blob. */
  size(key: string): Promise<number | undefined>;
  /** A stream of the blob (or of `range` of it, which must lie inside it); undefined when there is no such blob. */
  read(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are relative paths of safe characters; anything that could climb out of the store is refused. */
export function assertBlobKey(key: string): void {
  if (
    !/^[A-Za-z0-9_-][A-Za-z0-9._/-]*$/.test(key) ||
    key.split('/').some((part) => part === '..' || part === '')
  ) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  }
}
