/**
 * @module The ingest work itself (runs inside a face worker): one model run (`analyzeFace`), then a rig per
 * aspect ratio, the 500×500 preview (the square rig's rest frame, so the card shows the face the video rests
 * on: lips closed even when the photo grins) and the ≤1200 px image (the photo as uploaded, upright). All three rigs are built now rather than on first
 * use: each costs ~0.1 s next to the analysis, and sessions then start without touching the model.
 */
import {
  ASPECT_RATIOS,
  type AspectRatio,
  analyzeFace,
  buildRig,
  encodeRig,
  findPublicAvatar,
  isFaceIngestError,
  renderRestFrame,
} from '@agenthuman/engine';
import sharp from 'sharp';
import type { IngestOutcome, PublicAvatarImages } from './face-ingest.js';

export const PREVIEW_SIZE = 500;
export const IMAGE_MAX_WIDTH = 1200;
/** Also checked before the worker is involved; repeated here because this is where pixels get decoded. */
export const MAX_INPUT_PIXELS = 40_000_000;

export async function ingestPortrait(bytes: Uint8Array): Promise<IngestOutcome> {
  try {
    const analysis = await analyzeFace(bytes);
    const rigs = {} as Record<AspectRatio, Uint8Array>;
    let square: Uint8Array | undefined;
    for (const aspectRatio of ASPECT_RATIOS) {
      const rig = await buildRig(analysis, aspectRatio);
      rigs[aspectRatio] = encodeRig(rig);
      if (aspectRatio === '1:1') square = await renderRestFrame(rig);
    }
    const preview = await previewJpeg(square!);
    const image = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize({ width: IMAGE_MAX_WIDTH, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer();
    return { ok: true, face: { rigs, preview: new Uint8Array(preview), image: new Uint8Array(image) } };
  } catch (error) {
    if (isFaceIngestError(error)) return { ok: false, refusal: { code: error.code, message: error.message } };
    throw error;
  }
}

const previewJpeg = async (png: Uint8Array) =>
  new Uint8Array(
    await sharp(png)
      .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'cover' })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer(),
  );

/**
 * Preview from the square rig, image from the portrait (3:4) rig at the hd preset (900×1200): both their rest
 * frames, so a public avatar's card and still agree with its video.
 */
export async function renderPublicAvatar(slug: string): Promise<PublicAvatarImages> {
  const avatar = findPublicAvatar(slug);
  if (!avatar) throw new Error(`unknown public avatar ${slug}`);
  const square = await renderRestFrame(await avatar.loadRig('1:1'));
  const portrait = await renderRestFrame(await avatar.loadRig('3:4', 'hd'));
  const image = await sharp(portrait).jpeg({ quality: 85, mozjpeg: true }).toBuffer();
  return { preview: await previewJpeg(square), image: new Uint8Array(image) };
}
