/** @module Where avatar files live: a small key → bytes interface, on the local disk or S3-compatible storage. */
export interface BlobStore {
  readonly kind: 'fs' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** undefined when there is no such blob. */
  get(key: string): Promise<Uint8Array | undefined>;
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
