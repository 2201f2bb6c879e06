/**
 * bench/livekit-cpu-publish.ts's picture check: decoded frames from a subscriber matched to the source frames
 * they came from, PSNR of the whole frame and of the mouth, and a zoomed side-by-side of the mouth as PNG.
 */
import sharp from 'sharp';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Match {
  decoded: Uint8Array;
  source: Uint8Array;
  sourceIndex: number;
  psnrY: number;
  psnrMouthY: number;
}

/** Sum of absolute luma differences on a sparse grid (finding a frame's source, not grading it). */
function sparseSad(a: Uint8Array, b: Uint8Array, width: number, box: Box): number {
  let sad = 0;
  for (let y = box.y; y < box.y + box.h; y += 2)
    for (let x = box.x; x < box.x + box.w; x += 2) sad += Math.abs(a[y * width + x]! - b[y * width + x]!);
  return sad;
}

function psnr(a: Uint8Array, b: Uint8Array, width: number, box: Box): number {
  let se = 0;
  for (let y = box.y; y < box.y + box.h; y++)
    for (let x = box.x; x < box.x + box.w; x++) se += (a[y * width + x]! - b[y * width + x]!) ** 2;
  const mse = se / (box.w * box.h);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** Each decoded frame with the source frame whose mouth it matches best (the loop repeats, so any may be it). */
export function matchFrames(
  decoded: Uint8Array[],
  sources: Uint8Array[],
  width: number,
  height: number,
  mouth: Box,
): Match[] {
  const whole = { x: 0, y: 0, w: width, h: height };
  return decoded.map((frame) => {
    let best = 0;
    let bestSad = Number.POSITIVE_INFINITY;
    for (const [i, source] of sources.entries()) {
      const sad = sparseSad(frame, source, width, whole);
      if (sad < bestSad) {
        bestSad = sad;
        best = i;
      }
    }
    const source = sources[best]!;
    return {
      decoded: frame,
      source,
      sourceIndex: best,
      psnrY: psnr(frame, source, width, whole),
      psnrMouthY: psnr(frame, source, width, mouth),
    };
  });
}

/** Bilinear scale of an I420 frame (the identity when the sizes match). */
export function scaleI420(src: Uint8Array, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  if (sw === dw && sh === dh) return src;
  const out = new Uint8Array((dw * dh * 3) / 2);
  const plane = (so: number, pw: number, ph: number, doff: number, qw: number, qh: number) => {
    for (let y = 0; y < qh; y++) {
      const fy = Math.max(0, ((y + 0.5) * ph) / qh - 0.5);
      const y0 = Math.min(ph - 1, Math.floor(fy));
      const y1 = Math.min(ph - 1, y0 + 1);
      const wy = fy - y0;
      for (let x = 0; x < qw; x++) {
        const fx = Math.max(0, ((x + 0.5) * pw) / qw - 0.5);
        const x0 = Math.min(pw - 1, Math.floor(fx));
        const x1 = Math.min(pw - 1, x0 + 1);
        const wx = fx - x0;
        const top = src[so + y0 * pw + x0]! * (1 - wx) + src[so + y0 * pw + x1]! * wx;
        const bottom = src[so + y1 * pw + x0]! * (1 - wx) + src[so + y1 * pw + x1]! * wx;
        out[doff + y * qw + x] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  };
  plane(0, sw, sh, 0, dw, dh);
  const sc = (sw >> 1) * (sh >> 1);
  const dc = (dw >> 1) * (dh >> 1);
  plane(sw * sh, sw >> 1, sh >> 1, dw * dh, dw >> 1, dh >> 1);
  plane(sw * sh + sc, sw >> 1, sh >> 1, dw * dh + dc, dw >> 1, dh >> 1);
  return out;
}

/** RGB of an I420 frame's box (BT.601 limited range, as libwebrtc converts). */
function boxToRgb(i420: Uint8Array, width: number, height: number, box: Box): Uint8Array {
  const cw = width >> 1;
  const uOff = width * height;
  const vOff = uOff + cw * (height >> 1);
  const out = new Uint8Array(box.w * box.h * 3);
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++) {
      const px = box.x + x;
      const py = box.y + y;
      const c = (py >> 1) * cw + (px >> 1);
      const yy = 1.164 * (i420[py * width + px]! - 16);
      const u = i420[uOff + c]! - 128;
      const v = i420[vOff + c]! - 128;
      const o = (y * box.w + x) * 3;
      out[o] = clamp(yy + 1.596 * v);
      out[o + 1] = clamp(yy - 0.392 * u - 0.813 * v);
      out[o + 2] = clamp(yy + 2.017 * u);
    }
  return out;
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/**
 * One PNG of rows of boxes side by side, each box zoomed `zoom`× (nearest neighbour, so codec blocks stay
 * visible): e.g. [source, decoded at A, decoded at B].
 */
export async function sideBySide(
  file: string,
  rows: Uint8Array[][],
  width: number,
  height: number,
  box: Box,
  zoom: number,
): Promise<void> {
  const cols = Math.max(...rows.map((r) => r.length));
  const gap = 4;
  const outW = cols * box.w * zoom + (cols - 1) * gap;
  const outH = rows.length * box.h * zoom + (rows.length - 1) * gap;
  const out = new Uint8Array(outW * outH * 3).fill(255);
  for (const [r, row] of rows.entries())
    for (const [c, frame] of row.entries()) {
      const rgb = boxToRgb(frame, width, height, box);
      const x0 = c * (box.w * zoom + gap);
      const y0 = r * (box.h * zoom + gap);
      for (let y = 0; y < box.h * zoom; y++)
        for (let x = 0; x < box.w * zoom; x++) {
          const s = (Math.floor(y / zoom) * box.w + Math.floor(x / zoom)) * 3;
          const o = ((y0 + y) * outW + x0 + x) * 3;
          out[o] = rgb[s]!;
          out[o + 1] = rgb[s + 1]!;
          out[o + 2] = rgb[s + 2]!;
        }
    }
  await sharp(out, { raw: { width: outW, height: outH, channels: 3 } })
    .png()
    .toFile(file);
}
