/** @module What the HTTP app needs, built once by the composition root (or by a test). */
import type { Store } from '@agenthuman/store';
import type { AvatarResolver } from './avatars/resolve-avatar.js';
import type { Config } from './config/config.js';
import type { PlanTable } from './config/plans.js';
import type { Authenticator } from './http/auth.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { RoomProvisioner } from './rooms/room-provisioner.js';
import type { SessionLifecycle } from './sessions/session-lifecycle.js';

export type AppDeps = {
  config: Config;
  plans: PlanTable;
  store: Store;
  auth: Authenticator;
  rateLimiter: RateLimiter;
  avatars: AvatarResolver;
  rooms: RoomProvisioner;
  lifecycle: SessionLifecycle;
};
