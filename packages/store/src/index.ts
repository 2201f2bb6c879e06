export type { Database } from './database.js';
export { newId } from './ids.js';
export { openStore, type Store, StoreLockedError, type StoreOptions } from './open-store.js';
export type { AccountRow } from './repositories/accounts.js';
export type { AgentRow, AgentStats } from './repositories/agents.js';
export type { ApiKeyRow } from './repositories/api-keys.js';
export type { AvatarPreviewRow } from './repositories/avatar-previews.js';
export type { AvatarRow } from './repositories/avatars.js';
export type { LinkChanges, LinkRow } from './repositories/links.js';
export type { MessageRow, NewMessage } from './repositories/messages.js';
export type {
  NewRecording,
  RecordingChanges,
  RecordingRow,
} from './repositories/recordings.js';
export type { NewSession, SessionRow, SessionStatusFilter } from './repositories/sessions.js';
export type {
  AttemptOutcome,
  DueDelivery,
  OutboxPruneBatch,
  OutboxPruned,
  WebhookDeliveryRow,
  WebhookDeliveryWithEvent,
  WebhookEndpointRow,
  WebhookEventRow,
} from './repositories/webhooks.js';
export type { Repositories } from './repositories.js';
export type {
  CreateShape,
  LiveKitSeat,
  MadeLiveKitRoom,
  RecordingStatus,
  StoredRoom,
} from './schema.js';
export * as tables from './schema.js';
