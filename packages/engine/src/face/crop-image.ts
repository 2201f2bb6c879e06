// Renders the aligned crop: the source photo through an affine transform into a width × height frame.
// Where the frame reaches past the photo's edges it is filled with a blurred extension of the edge pixels
// rather than black, so the renderer never warps a hard border into the face.
import { createCanvas, ImageData } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { RgbImage } from './decode-image.js';
import { type Affine, applyAffine, invertAffine } from './face-alignment.js';

export interface Crop {
  width: number;
  height: number;
  /** RGBA, not premultiplied (the crop is fully opaque). */
  rgba: Uint8Array;
  png: Uint8Array;
}

function rgbToCanvas(rgb: Uint8Array, width: number, height: number) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]!;
    rgba[j + 1] = rgb[i + 1]!;
    rgba[j + 2] = rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}

function scaleAffine(t: Affine, k: number): Affine {
  // Source coordinates are multiplied by k before t applies: t ∘ diag(1/k).
  return { a: t.a / k, b: t.b / k, c: t.c / k, d: t.d / k, e: t.e, f: t.f };
}

async function resized(img: RgbImage, k: number): Promise<RgbImage> {
  const width = Math.max(1, Math.round(img.width * k));
  const height = Math.max(1, Math.round(img.height * k));
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Pixels (in source units) the output frame reaches beyond the source on any side. */
function sourcePadding(t: Affine, src: RgbImage, width: number, height: number): number {
  const inv = invertAffine(t);
  let pad = 0;
  for (const [x, y] of [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ] as const) {
    const [sx, sy] = applyAffine(inv, x, y);
    pad = Math.max(pad, -sx, sx - src.width, -sy, sy - src.height);
  }
  return Math.ceil(pad);
}

async function edgeFill(src: RgbImage, pad: number): Promise<{ image: RgbImage; k: number; pad: number }> {
  // Built at quarter resolution: it is blurred anyway, and the padding can be large.
  const k = 0.25;
  const small = await resized(src, k);
  const p = Math.ceil(pad * k) + 4;
  const data = await sharp(small.data, { raw: { width: small.width, height: small.height, channels: 3 } })
    .extend({ top: p, bottom: p, left: p, right: p, extendWith: 'copy' })
    .blur(6)
    .raw()
    .toBuffer();
  return {
    image: { width: small.width + 2 * p, height: small.height + 2 * p, data: new Uint8Array(data) },
    k,
    pad: p,
  };
}

export async function renderCrop(
  src: RgbImage,
  transform: Affine,
  width: number,
  height: number,
): Promise<Crop> {
  // Downscale big photos with a proper filter first, so the canvas transform works near 1:1.
  const scale = Math.hypot(transform.a, transform.b);
  let source = src;
  let t = transform;
  if (scale < 0.75) {
    source = await resized(src, scale);
    t = scaleAffine(transform, source.width / src.width);
  }
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const pad = sourcePadding(t, source, width, height);
  if (pad > 0) {
    const fill = await edgeFill(source, pad);
    // The fill image's pixel (u, v) sits at source ((u - pad) / k, (v - pad) / k).
    const ft = scaleAffine(t, fill.k);
    const [ex, ey] = applyAffine(ft, -fill.pad, -fill.pad);
    ctx.setTransform(ft.a, ft.b, ft.c, ft.d, ex, ey);
    ctx.drawImage(rgbToCanvas(fill.image.data, fill.image.width, fill.image.height), 0, 0);
  }
  ctx.setTransform(t.a, t.b, t.c, t.d, t.e, t.f);
  ctx.drawImage(rgbToCanvas(source.data, source.width, source.height), 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const rgba = new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer.slice(0));
  const png = new Uint8Array(await canvas.encode('png'));
  return { width, height, rgba, png };
}
