/** @module Session recordings: `GET /v1/sessions/{id}/recording` and the signed download. */
import { z } from 'zod';
import { NullableTimestamp, Timestamp } from './common.js';

export const RECORDING_STATUSES = ['recording', 'processing', 'ready', 'failed'] as const;
export const RecordingStatus = z
  .enum(RECORDING_STATUSES)
  .describe(
    'recording: the session is live; processing: ended, the file is being stored; ready: `url` downloads it; ' +
      'failed: see `failure`',
  );
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const Recording = z
  .object({
    session_id: z.string(),
    status: RecordingStatus,
    url: z
      .string()
      .nullable()
      .describe('ready only: a signed, expiring download URL (no API key needed); null otherwise'),
    url_expires_at: NullableTimestamp,
    content_type: z.literal('video/mp4'),
    duration: z.number().nullable().describe('Seconds (3 decimals); null until ready'),
    size: z.number().int().nullable().describe('Bytes; null until ready'),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    partial: z
      .boolean()
      .describe(
        'true when the server stopped mid-session (a crash) and this is what was recorded until then',
      ),
    frames_dropped: z
      .number()
      .int()
      .describe(
        'Video frames the recording repeated because its encoder fell behind (the live stream lost none)',
      ),
    failure: z.object({ code: z.string(), reason: z.string() }).nullable().describe('failed only: why'),
    created_at: Timestamp,
    ready_at: NullableTimestamp,
  })
  .meta({ id: 'Recording' });
export type Recording = z.infer<typeof Recording>;

export const RecordingReply = z.object({ success: z.literal(true), recording: Recording });

export const RecordingFileParams = z.object({ session_id: z.string() });
export const RecordingFileQuery = z.object({ expires: z.string().optional(), sig: z.string().optional() });
