/** @module What the HTTP app needs, built once by the composition root (or by a test). */
import type { Store } from '@agenthuman/store';
import type { AvatarViews } from './avatars/avatar-views.js';
import type { BlobStore } from './avatars/blobs/blob-store.js';
import type { MediaSigner } from './avatars/media/media-signer.js';
import type { MediaSource } from './avatars/media/media-source.js';
import type { PreviewLinks } from './avatars/preview-links.js';
import type { AvatarResolver } from './avatars/resolve-avatar.js';
import type { UploadFace } from './avatars/upload-face.js';
import type { Config } from './config/config.js';
import type { PlanTable } from './config/plans.js';
import type { AgentProviders } from './conversations/agent-providers.js';
import type { ConversationRegistry } from './conversations/conversation-registry.js';
import type { Authenticator } from './http/auth.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { LiveSessions } from './live/live-sessions.js';
import type { RoomProvisioner } from './rooms/room-provisioner.js';
import type { SessionLifecycle } from './sessions/session-lifecycle.js';

export type AppDeps = {
  config: Config;
  plans: PlanTable;
  store: Store;
  auth: Authenticator;
  rateLimiter: RateLimiter;
  avatars: AvatarResolver;
  blobs: BlobStore;
  /** Signed media URLs: signing, the files behind them, and avatar views that carry them. */
  media: { signer: MediaSigner; source: MediaSource; views: AvatarViews };
  uploadFace: UploadFace;
  previews: PreviewLinks;
  rooms: RoomProvisioner;
  lifecycle: SessionLifecycle;
  /** Builds each agent's LLM, voice and recogniser from its settings and the server's keys. */
  agentProviders: AgentProviders;
  /** The running agent conversations of this process. */
  conversations: ConversationRegistry;
  /** Per-IP limit of the public link start. */
  linkStartLimiter: RateLimiter;
  /** Running sessions' media (pipelines, rooms) in this process; `live.get(sessionId)` makes an avatar speak. */
  live: LiveSessions;
  /** Webhooks: the URL check at create (400 WEBHOOK_URL_NOT_ALLOWED) and a nudge to the dispatcher. */
  webhooks: { checkUrl(url: string, field: string): Promise<void>; wake(): void };
};
