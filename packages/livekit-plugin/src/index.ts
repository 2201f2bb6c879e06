export { AgentHumanError } from '@agenthuman/sdk';
export {
  type AspectRatio,
  ATTRIBUTE_PUBLISH_ON_BEHALF,
  AVATAR_IDENTITY,
  AVATAR_SAMPLE_RATE,
  AvatarSession,
  type AvatarSessionOptions,
  DEFAULT_AVATAR_ID,
  type StartOptions,
} from './avatar.js';
