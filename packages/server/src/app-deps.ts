/** @module What the HTTP app needs, built once by the composition root (or by a test). */
import type { Store } from '@agenthuman/store';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AvatarViews } from './avatars/avatar-views.js';
import type { BlobStore } from './avatars/blobs/blob-store.js';
import type { MediaSigner } from './avatars/media/media-signer.js';
import type { MediaSource } from './avatars/media/media-source.js';
import type { PreviewLinks } from './avatars/preview-links.js';
import type { AvatarResolver } from './avatars/resolve-avatar.js';
import type { UploadFace } from './avatars/upload-face.js';
import type { MessageRelay } from './cluster/message-relay.js';
import type { Config } from './config/config.js';
import type { PlanTable } from './config/plans.js';
import type { AgentProviders } from './conversations/agent-providers.js';
import type { ConversationRegistry } from './conversations/conversation-registry.js';
import type { Authenticator } from './http/auth.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { LiveSessions } from './live/live-sessions.js';
import type { RoomSignalling } from './live/room-routes.js';
import type { GatewaySocket } from './live/ws/ws-gateway.js';
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
  /**
   * Avatar capacity and what /health says of it: this process's live registry (serve, worker), or on a
   * cluster API process the workers' registry (previews start on a worker: cluster/preview-relay.ts).
   */
  live: Pick<LiveSessions, 'hasCapacity' | 'size' | 'warm'> &
    Partial<Pick<LiveSessions, 'startPreview'>> & { readonly workers?: number };
  /** The handler of each `/ws` socket: a local connection, or a relay to the session's worker. */
  connectSocket: (socket: WebSocket, request: FastifyRequest) => GatewaySocket;
  /** Built-in room signalling (WHEP): this process's rooms, or the session's worker. */
  signalling: RoomSignalling;
  /** Set on a cluster API process: agent turns of sessions on workers go there. */
  messageRelay?: MessageRelay;
  /** Set on a cluster worker: every route but /health needs this internal secret (API processes only). */
  internalSecret?: string;
  /** Webhooks: the URL check at create (400 WEBHOOK_URL_NOT_ALLOWED) and a nudge to the dispatcher. */
  webhooks: { checkUrl(url: string, field: string): Promise<void>; wake(): void };
};
