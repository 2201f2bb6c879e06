export { findPublicAvatar, PUBLIC_AVATARS, type PublicAvatar } from './catalog.js';
