// Renders the aligned crop: the source photo through an affine transform into a width × height frame, then the
// head levelled in place (a rotation that fades out towards the shoulders, so the frame's edges stay the photo's).
// Where the frame reaches past the photo's edges, the photo's outer bands are stretched to fill it (edge-stretch.ts)
// when a moderate stretch reaches the frame's edge; a side it cannot reach gets an estimate of the background
// (background-fill.ts) that the photo fades into, never a copy of the photo's edge pixels.
import { createCanvas, ImageData } from '@napi-rs/canvas';
import sharp from 'sharp';
import { type FillHints, fillBeyondPhoto, type PhotoRect } from './background-fill.js';
import type { RgbImage } from './decode-image.js';
import { type AxisStretch, applyStretch, isIdentity, stretchTarget } from './edge-stretch.js';
import { type Affine, type HeadLevel, levelPoint } from './face-alignment.js';

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

/**
 * The photo's extent in the finished frame (placed, then stretched), whole pixels only: the canvas leaves its
 * fractional edge pixels part transparent.
 */
function photoInFrame(t: Affine, src: RgbImage, stretch?: { x: AxisStretch; y: AxisStretch }): PhotoRect {
  const ax = (v: number) => (stretch ? stretchTarget(stretch.x, v) : v);
  const ay = (v: number) => (stretch ? stretchTarget(stretch.y, v) : v);
  return {
    x0: Math.ceil(ax(t.e) - 1e-6),
    y0: Math.ceil(ay(t.f) - 1e-6),
    x1: Math.floor(ax(t.a * src.width + t.e) + 1e-6),
    y1: Math.floor(ay(t.d * src.height + t.f) + 1e-6),
  };
}

/**
 * The output frame cut from `padded` (the crop drawn with a margin `m` all round), with the head region resampled
 * so the head is level (bilinear). The margin gives the turned head real photo to draw from past the frame edge.
 */
function levelHead(
  padded: Uint8ClampedArray,
  m: number,
  width: number,
  height: number,
  level: HeadLevel,
): Uint8ClampedArray {
  const pw = width + 2 * m;
  const ph = height + 2 * m;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    out.set(padded.subarray(((y + m) * pw + m) * 4, ((y + m) * pw + m + width) * 4), y * width * 4);
  const y0 = Math.max(0, Math.floor(level.cy - level.outer));
  const y1 = Math.min(height, Math.ceil(level.cy + level.outer));
  const x0 = Math.max(0, Math.floor(level.cx - level.outer));
  const x1 = Math.min(width, Math.ceil(level.cx + level.outer));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (Math.hypot(x + 0.5 - level.cx, y + 0.5 - level.cy) >= level.outer) continue;
      const [sx, sy] = levelPoint(level, x + 0.5, y + 0.5, true);
      const fx = Math.max(0, Math.min(pw - 1.001, sx + m - 0.5));
      const fy = Math.max(0, Math.min(ph - 1.001, sy + m - 0.5));
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const ax = fx - ix;
      const ay = fy - iy;
      const i = (iy * pw + ix) * 4;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const top = padded[i + k]! * (1 - ax) + padded[i + 4 + k]! * ax;
        const bottom = padded[i + pw * 4 + k]! * (1 - ax) + padded[i + pw * 4 + 4 + k]! * ax;
        out[o + k] = top * (1 - ay) + bottom * ay;
      }
    }
  }
  return out;
}

export async function renderCrop(
  src: RgbImage,
  transform: Affine,
  width: number,
  height: number,
  level?: HeadLevel,
  stretch?: { x: AxisStretch; y: AxisStretch },
  fill: FillHints = { chinY: height, fadeRows: 1 },
): Promise<Crop> {
  // Downscale big photos with a proper filter first, so the canvas transform works near 1:1.
  const scale = Math.hypot(transform.a, transform.b);
  let source = src;
  let t = transform;
  if (scale < 0.75) {
    source = await resized(src, scale);
    t = scaleAffine(transform, source.width / src.width);
  }
  const levelling = level !== undefined && Math.abs(level.angle) > 1e-4;
  const m = levelling ? Math.ceil(level.outer * Math.abs(Math.sin(level.angle))) + 2 : 0;
  t = { ...t, e: t.e + m, f: t.f + m };
  const padded = createCanvas(width + 2 * m, height + 2 * m);
  const pctx = padded.getContext('2d');
  pctx.imageSmoothingEnabled = true;
  pctx.imageSmoothingQuality = 'high';
  pctx.setTransform(t.a, t.b, t.c, t.d, t.e, t.f);
  pctx.drawImage(rgbToCanvas(source.data, source.width, source.height), 0, 0);
  pctx.setTransform(1, 0, 0, 1, 0, 0);
  let canvas = padded;
  if (levelling) {
    const image = pctx.getImageData(0, 0, width + 2 * m, height + 2 * m);
    canvas = createCanvas(width, height);
    canvas
      .getContext('2d')
      .putImageData(new ImageData(levelHead(image.data, m, width, height, level), width, height), 0, 0);
  }
  if (stretch && !(isIdentity(stretch.x) && isIdentity(stretch.y))) {
    const image = canvas.getContext('2d').getImageData(0, 0, width, height);
    canvas = createCanvas(width, height);
    canvas
      .getContext('2d')
      .putImageData(
        new ImageData(applyStretch(image.data, width, height, stretch.x, stretch.y), width, height),
        0,
        0,
      );
  }
  const ctx = canvas.getContext('2d');
  const frame = ctx.getImageData(0, 0, width, height);
  fillBeyondPhoto(frame.data, width, height, photoInFrame(transform, src, stretch), fill);
  ctx.putImageData(frame, 0, 0);
  const rgba = new Uint8Array(frame.data.buffer.slice(0));
  const png = new Uint8Array(await canvas.encode('png'));
  return { width, height, rgba, png };
}
