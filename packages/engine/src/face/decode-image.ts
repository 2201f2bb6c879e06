// Decodes an uploaded photo (JPEG, PNG, GIF, WebP, ...) to packed RGB with EXIF orientation applied.
import sharp from 'sharp';
import { FaceIngestError } from './ingest-errors.js';

export interface RgbImage {
  width: number;
  height: number;
  /** Packed RGB, 3 bytes per pixel, row-major. */
  data: Uint8Array;
}

const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'gif', 'webp', 'tiff', 'avif', 'heif']);
/** Larger uploads are refused before decoding (about 50 megapixels). */
const MAX_INPUT_PIXELS = 50_000_000;

export async function decodeImage(bytes: Uint8Array): Promise<RgbImage> {
  if (bytes.byteLength === 0) throw new FaceIngestError('UNSUPPORTED_IMAGE', 'The image is empty.');
  try {
    const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
    const meta = await input.metadata();
    if (!meta.format || !SUPPORTED_FORMATS.has(meta.format)) {
      throw new FaceIngestError(
        'UNSUPPORTED_IMAGE',
        `Unsupported image format: ${meta.format ?? 'unknown'}.`,
      );
    }
    const { data, info } = await input
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    if (err instanceof FaceIngestError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new FaceIngestError(
      'UNSUPPORTED_IMAGE',
      `The image could not be decoded (use JPEG, PNG, GIF or WebP): ${reason}`,
      { cause: err },
    );
  }
}
