/**
 * @module Test double for the Renderer contract: each frame is one flat colour that encodes its inputs, so
 * tests and benchmarks can read back which parameters and pts a frame was drawn from. Not an avatar.
 */
import { performance } from 'node:perf_hooks';
import type { FaceParams } from '../../animation/params.js';
import type { PixelFormat, Renderer, VideoFrame } from '../../render/renderer.js';
import type { RendererSpec } from '../../workers/renderer-spec.js';
import { FRAME_MS } from '../media-clock.js';

export interface SolidColourRendererOptions {
  width: number;
  height: number;
  /** Busy-waits this long per frame to stand in for a real renderer's cost. */
  costMs?: number;
  /**
   * Fills the luma below the first row with fixed noise and a jaw-sized bar, so encoders see picture detail and
   * motion rather than a flat frame they compress for free (benchmarks). Row 0 keeps the readable colour.
   */
  textured?: boolean;
  /**
   * Also paints pts / 40 ms mod 256 into the luma as eight black/white blocks (bit 7 first, left to right,
   * below row 0), which survive a lossy encoder: a codec at a low bitrate may leave a flat chroma level that
   * moves by one per frame uncoded for many frames, so the chroma index is exact only without an encoder.
   */
  indexBlocks?: boolean;
}

/** What a solid-colour frame says about how it was drawn. */
export interface SolidColourReading {
  /** jawOpen quantised to 1/255. */
  jawOpen: number;
  /** pts / 40 ms, modulo 256. */
  frameIndexMod256: number;
}

export function createSolidColourTestRenderer(options: SolidColourRendererOptions): Renderer {
  const { width, height, costMs = 0 } = options;
  const noise = options.textured ? noiseLuma(width * height) : undefined;
  return {
    width,
    height,
    render(params: FaceParams, ptsMs: number, format: PixelFormat): VideoFrame {
      if (costMs > 0) {
        const until = performance.now() + costMs;
        while (performance.now() < until);
      }
      const jaw = Math.round(Math.min(1, Math.max(0, params.jawOpen)) * 255);
      const index = Math.round(ptsMs / FRAME_MS) % 256;
      const pixels = width * height;
      if (format === 'rgba') {
        const data = new Uint8Array(pixels * 4);
        const word = new Uint32Array(data.buffer);
        // Little-endian RGBA: R = jaw, G = frame index, B = 0, A = 255.
        word.fill((255 << 24) | (index << 8) | jaw);
        return { width, height, format, data, ptsMs };
      }
      const data = new Uint8Array(pixels + 2 * ((width >> 1) * (height >> 1)));
      if (noise) {
        data.set(noise);
        data.fill(jaw, 0, width);
        const barTop = Math.round(height * 0.6);
        const barRows = 1 + Math.round((height / 5) * (jaw / 255));
        data.fill(40, barTop * width, (barTop + barRows) * width);
      } else data.fill(jaw, 0, pixels);
      if (options.indexBlocks) paintIndexBlocks(data, width, height, index);
      data.fill(index, pixels, pixels + (width >> 1) * (height >> 1));
      data.fill(128, pixels + (width >> 1) * (height >> 1));
      return { width, height, format, data, ptsMs };
    },
    close() {},
  };
}

function noiseLuma(length: number): Uint8Array {
  const luma = new Uint8Array(length);
  let seed = 12345;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    // Smooth-ish noise: neighbours share high bits, like skin texture rather than static.
    luma[i] = 90 + ((seed >>> 24) & 63) + ((i >> 4) & 31);
  }
  return luma;
}

/** Side and top of the eight index blocks (luma pixels) for a frame `width` wide. */
function indexBlockGeometry(width: number, height: number): { side: number; top: number } {
  const side = Math.max(2, Math.min(Math.floor(width / 10), Math.floor(height / 4)));
  return { side, top: Math.max(1, Math.floor(side / 2)) };
}

function paintIndexBlocks(luma: Uint8Array, width: number, height: number, index: number): void {
  const { side, top } = indexBlockGeometry(width, height);
  for (let bit = 0; bit < 8; bit++) {
    const value = (index >> (7 - bit)) & 1 ? 235 : 16;
    const left = Math.floor(side / 2) + bit * side;
    for (let y = top; y < top + side; y++) luma.fill(value, y * width + left, y * width + left + side);
  }
}

/**
 * The frame index painted by `indexBlocks`, read back from a decoded luma plane (`stride` bytes per row): the
 * mean of each block's middle half against mid-grey. Undefined when a block is not clearly black or white (a
 * frame that is not this renderer's, or a block smeared by the codec).
 */
export function readIndexBlocks(
  luma: Uint8Array,
  width: number,
  height: number,
  stride = width,
): number | undefined {
  const { side, top } = indexBlockGeometry(width, height);
  let index = 0;
  for (let bit = 0; bit < 8; bit++) {
    const left = Math.floor(side / 2) + bit * side;
    let sum = 0;
    let count = 0;
    for (let y = top + (side >> 2); y < top + side - (side >> 2); y++)
      for (let x = left + (side >> 2); x < left + side - (side >> 2); x++) {
        sum += luma[y * stride + x] ?? 0;
        count++;
      }
    const mean = sum / count;
    if (mean > 90 && mean < 160) return undefined;
    index = (index << 1) | (mean >= 160 ? 1 : 0);
  }
  return index;
}

export function readSolidColourFrame(frame: VideoFrame): SolidColourReading {
  if (frame.format === 'rgba') {
    return { jawOpen: (frame.data[0] ?? 0) / 255, frameIndexMod256: frame.data[1] ?? 0 };
  }
  return {
    jawOpen: (frame.data[0] ?? 0) / 255,
    frameIndexMod256: frame.data[frame.width * frame.height] ?? 0,
  };
}

/** The spec a render worker uses to build this test double. */
export function solidColourRendererSpec(options: SolidColourRendererOptions): RendererSpec {
  return {
    module: new URL('./solid-colour-renderer.ts', import.meta.url).href,
    export: 'createSolidColourTestRenderer',
    options,
  };
}
