/** @module `image_base64`: plain base64 or a `data:image/...;base64,` URI, strictly validated, size-capped. */
import { AVATAR_IMAGE_MAX_BYTES } from '@agenthuman/protocol';
import { AppError } from '../../http/app-error.js';
import { imageTooLarge } from './image-errors.js';

const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(;[a-z0-9=.+-]+)*;base64,/i;

export function decodeBase64Image(text: string, field: string): Uint8Array {
  let body = text.trim();
  const prefix = DATA_URI.exec(body);
  if (prefix) body = body.slice(prefix[0].length);
  else if (body.startsWith('data:'))
    throw invalidBase64(field, 'the data URI must end its prefix with ";base64,"');
  body = body.replace(/\s+/g, '');
  // base64url too: clients often send it; padding optional.
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body) || body.length % 4 === 1 || body.length === 0) {
    throw invalidBase64(field, 'it contains characters outside the base64 alphabet or has a broken length');
  }
  if (Math.floor((body.length * 3) / 4) > AVATAR_IMAGE_MAX_BYTES + 3) throw imageTooLarge(field);
  const bytes = Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64');
  if (bytes.length > AVATAR_IMAGE_MAX_BYTES) throw imageTooLarge(field);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const invalidBase64 = (field: string, why: string) =>
  new AppError('INVALID_BASE64', `${field} is not valid base64: ${why}`, {
    suggestion: 'Send the image bytes as standard base64, optionally with a data:image/...;base64, prefix',
    details: { field },
  });
