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
