/**
 * @module One image input (a file part, a URL, base64) → checked image bytes: at most 10 MB, a real JPEG,
 * PNG, GIF or WebP by its magic bytes, and a pixel count read from the header only, so a decompression bomb
 * (a tiny file claiming a huge canvas) is refused before anything decodes it.
 */
import { AVATAR_IMAGE_MAX_BYTES } from '@agenthuman/protocol';
import sharp from 'sharp';
import { AppError } from '../../http/app-error.js';
import { type FetchPolicy, safeFetch } from '../fetch/safe-fetch.js';
import { MAX_INPUT_PIXELS } from '../ingest/ingest-portrait.js';
import { decodeBase64Image } from './decode-base64-image.js';
import { imageTooLarge, unsupportedFormat } from './image-errors.js';
import { type ImageFormat, sniffImageFormat } from './sniff-image-format.js';

/** `field` is the request field errors name (`file`, `image_url`, `image_base64`, or `avatar` at session create). */
export type ImageInput =
  | { kind: 'bytes'; bytes: Uint8Array; field: string; filename?: string }
  | { kind: 'url'; url: string; field: string }
  | { kind: 'base64'; data: string; field: string };

export type CheckedImage = { bytes: Uint8Array; format: ImageFormat; width: number; height: number };

export async function readImageInput(input: ImageInput, fetchPolicy: FetchPolicy): Promise<CheckedImage> {
  const bytes =
    input.kind === 'bytes'
      ? input.bytes
      : input.kind === 'url'
        ? await safeFetch(input.url, fetchPolicy).catch((error: unknown) => {
            if (error instanceof AppError && error.details) error.details.field = input.field;
            throw error;
          })
        : decodeBase64Image(input.data, input.field);
  if (bytes.byteLength > AVATAR_IMAGE_MAX_BYTES) throw imageTooLarge(input.field);
  const format = sniffImageFormat(bytes);
  if (!format) throw unsupportedFormat(input.field);
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.width ?? 0;
    height = meta.height ?? 0;
  } catch {
    throw new AppError(
      'UNSUPPORTED_IMAGE_FORMAT',
      `The ${format.toUpperCase()} image is damaged and cannot be read`,
      {
        details: { field: input.field },
      },
    );
  }
  if (width * height > MAX_INPUT_PIXELS) {
    throw new AppError(
      'IMAGE_TOO_LARGE',
      `The image is ${width}×${height} pixels; at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels are accepted`,
      {
        suggestion: 'Scale the portrait down (1000–2000 px on the long side is plenty)',
        details: { field: input.field },
      },
    );
  }
  if (width === 0 || height === 0) throw unsupportedFormat(input.field);
  return { bytes, format, width, height };
}
