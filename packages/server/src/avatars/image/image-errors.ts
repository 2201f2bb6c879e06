/** @module The image-input errors shared by every way an image arrives (file, URL, base64). */
import { AVATAR_IMAGE_MAX_BYTES } from '@agenthuman/protocol';
import { AppError } from '../../http/app-error.js';

const MB = AVATAR_IMAGE_MAX_BYTES / 1024 / 1024;

export const imageTooLarge = (field: string) =>
  new AppError('IMAGE_TOO_LARGE', `The image is larger than ${MB} MB`, {
    suggestion: `Send a JPEG, PNG, GIF or WebP of at most ${MB} MB`,
    details: { field, max_bytes: AVATAR_IMAGE_MAX_BYTES },
  });

export const unsupportedFormat = (field: string) =>
  new AppError('UNSUPPORTED_IMAGE_FORMAT', 'The image is not a JPEG, PNG, GIF or WebP', {
    suggestion: 'The format is read from the bytes themselves; convert the picture to JPEG or PNG',
    details: { field },
  });
