import { createCanvas, Image } from '@napi-rs/canvas';

/** Decodes PNG/JPEG bytes to opaque RGBA at the image's own size (synchronous: runs once per rig). */
export function decodeImage(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const img = new Image();
  img.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { width, height } = img;
  if (!width || !height) throw new Error('rig image could not be decoded');
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, width, height).data;
  return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
