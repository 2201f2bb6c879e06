/** @module Shapes shared by several domains: timestamps, aspect ratios, metadata. */
import { z } from 'zod';

export const METADATA_MAX_BYTES = 16 * 1024;

export const Timestamp = z.string().describe('ISO 8601 UTC timestamp');
export const NullableTimestamp = Timestamp.nullable();

export const AspectRatio = z.enum(['4:3', '3:4', '1:1']);
export type AspectRatio = z.infer<typeof AspectRatio>;

/** A JSON object of at most 16 KB once serialised; arrays, strings, numbers, booleans and null are refused. */
export const Metadata = z
  .record(z.string(), z.unknown(), { error: 'metadata must be a JSON object' })
  .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= METADATA_MAX_BYTES, {
    message: `metadata must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  })
  .describe('Any JSON object, at most 16 KB');

export const MessageReply = z.object({ success: z.literal(true), message: z.string() });
