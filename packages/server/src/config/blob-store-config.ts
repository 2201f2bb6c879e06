/** @module Where avatar and recording files go: `<dataDir>/blobs` on disk (default), or an S3-compatible bucket. */
import { join } from 'node:path';
import { z } from 'zod';
import type { S3Settings } from '../avatars/blobs/s3-blob-store.js';
import { invalidConfig } from './config-error.js';
import { optionalHttpUrl, optionalString } from './env-values.js';

export const BlobStoreEnv = z.object({
  AGENTHUMAN_BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  AGENTHUMAN_S3_ENDPOINT: optionalHttpUrl(),
  AGENTHUMAN_S3_BUCKET: optionalString,
  AGENTHUMAN_S3_REGION: z.string().min(1).default('us-east-1'),
  AGENTHUMAN_S3_ACCESS_KEY_ID: optionalString,
  AGENTHUMAN_S3_SECRET_ACCESS_KEY: optionalString,
  AGENTHUMAN_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or folder names each ending with /')
    .default(''),
  AGENTHUMAN_S3_PATH_STYLE: z.enum(['true', 'false']).default('true'),
});

export type BlobStoreConfig = { kind: 'fs'; root: string } | { kind: 's3'; s3: S3Settings };

/** Throws a ConfigError naming every S3 setting missing when AGENTHUMAN_BLOB_STORE=s3. */
export function blobStoreConfig(e: z.infer<typeof BlobStoreEnv>, dataDir: string): BlobStoreConfig {
  if (e.AGENTHUMAN_BLOB_STORE === 'fs') return { kind: 'fs', root: join(dataDir, 'blobs') };
  const required = {
    AGENTHUMAN_S3_ENDPOINT: e.AGENTHUMAN_S3_ENDPOINT,
    AGENTHUMAN_S3_BUCKET: e.AGENTHUMAN_S3_BUCKET,
    AGENTHUMAN_S3_ACCESS_KEY_ID: e.AGENTHUMAN_S3_ACCESS_KEY_ID,
    AGENTHUMAN_S3_SECRET_ACCESS_KEY: e.AGENTHUMAN_S3_SECRET_ACCESS_KEY,
  };
  const missing = Object.entries(required).filter(([, value]) => !value);
  if (missing.length > 0) {
    throw invalidConfig([
      `${missing.map(([name]) => name).join(', ')}: required when AGENTHUMAN_BLOB_STORE=s3`,
    ]);
  }
  return {
    kind: 's3',
    s3: {
      endpoint: required.AGENTHUMAN_S3_ENDPOINT!,
      bucket: required.AGENTHUMAN_S3_BUCKET!,
      region: e.AGENTHUMAN_S3_REGION,
      accessKeyId: required.AGENTHUMAN_S3_ACCESS_KEY_ID!,
      secretAccessKey: required.AGENTHUMAN_S3_SECRET_ACCESS_KEY!,
      prefix: e.AGENTHUMAN_S3_PREFIX,
      pathStyle: e.AGENTHUMAN_S3_PATH_STYLE === 'true',
    },
  };
}
