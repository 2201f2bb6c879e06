/** @module Recording outcomes as webhook events (`recording.ready` / `recording.failed`), in the outbox. */
import { publishEvent } from '../webhooks/publish-event.js';
import type { RecordingEvents } from './session-recordings.js';

/** Written in the transaction that records the outcome; the dispatcher's next poll delivers them. */
export const recordingWebhookEvents = (): RecordingEvents => ({
  async onRecordingReady(repos, event) {
    await publishEvent(repos, {
      type: 'recording.ready',
      accountId: event.accountId,
      sessionId: event.sessionId,
      data: {
        session_id: event.sessionId,
        duration_ms: event.durationMs,
        size_bytes: event.bytes,
        content_type: 'video/mp4',
      },
    });
  },
  async onRecordingFailed(repos, event) {
    await publishEvent(repos, {
      type: 'recording.failed',
      accountId: event.accountId,
      sessionId: event.sessionId,
      data: { session_id: event.sessionId, code: event.code, message: event.reason },
    });
  },
});
