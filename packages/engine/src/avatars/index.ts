export {
  DEFAULT_PUBLIC_AVATAR_SLUG,
  findPublicAvatar,
  PUBLIC_AVATARS,
  type PublicAvatar,
} from './catalog.js';
