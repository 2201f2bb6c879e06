/** @module Shapes shared by several domains: timestamps, aspect ratios, metadata, 32-bit integers. */
import { z } from 'zod';

export const METADATA_MAX_BYTES = 16 * 1024;
/** Objects and arrays inside `metadata` nest at most this deep (the top-level object is level 1). */
export const METADATA_MAX_DEPTH = 10;

/** The largest value a 32-bit integer column holds: counts, minutes and legacy integer ids stop here. */
export const INT32_MAX = 2_147_483_647;

export const Timestamp = z.string().describe('ISO 8601 UTC timestamp');
export const NullableTimestamp = Timestamp.nullable();

export const AspectRatio = z.enum(['4:3', '3:4', '1:1']);
export type AspectRatio = z.infer<typeof AspectRatio>;

/** A whole number that fits the 32-bit column it is stored in. */
export const Int32 = () => z.number().int().max(INT32_MAX, `must be at most ${INT32_MAX}`);
/** A positive integer id of the legacy dialect, from a path or query string. */
export const LegacyIntId = () =>
  z.coerce.number().int().positive().max(INT32_MAX, `must be at most ${INT32_MAX}`);

/** How deep objects and arrays nest in `value`, counted without recursion (bodies may nest thousands deep). */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A JSON object of at most 16 KB once serialised and 10 levels deep; arrays, strings, numbers, booleans and
 * null are refused. The depth check runs first, so a pathological body never reaches `JSON.stringify`.
 */
export const Metadata = z
  .record(z.string(), z.unknown(), { error: 'metadata must be a JSON object' })
  .refine((value) => jsonDepth(value) <= METADATA_MAX_DEPTH, {
    message: `metadata must nest at most ${METADATA_MAX_DEPTH} levels deep`,
    abort: true,
  })
  .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= METADATA_MAX_BYTES, {
    message: `metadata must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  })
  .describe(`Any JSON object, at most 16 KB as JSON and ${METADATA_MAX_DEPTH} levels deep`);

export const MessageReply = z.object({ success: z.literal(true), message: z.string() });
