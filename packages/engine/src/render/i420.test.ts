import { describe, expect, it } from 'vitest';
import { createRandom } from '../animation/random.js';
import { i420Planes, i420Size, rgbaToI420 } from './i420.js';

// Reference: BT.601 limited range in floating point (ITU-R BT.601 with 16..235 / 16..240 scaling).
const refY = (r: number, g: number, b: number) => 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
const refU = (r: number, g: number, b: number) => 128 + (-37.797 * r - 74.203 * g + 112 * b) / 255;
const refV = (r: number, g: number, b: number) => 128 + (112 * r - 93.786 * g - 18.214 * b) / 255;

describe('rgbaToI420', () => {
  it('matches the BT.601 reference formula within one code value', () => {
    const w = 64;
    const h = 48;
    const random = createRandom(9);
    const rgba = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? 255 : Math.floor(random() * 256)));
    const out = new Uint8Array(i420Size(w, h));
    const p = i420Planes(out, w, h);
    rgbaToI420(new Int32Array(rgba.buffer), w, h, p);
    let maxY = 0;
    let maxC = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        maxY = Math.max(maxY, Math.abs(p.y[y * w + x]! - refY(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!)));
      }
    }
    for (let y = 0; y < h / 2; y++) {
      for (let x = 0; x < w / 2; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const) {
          const o = ((y * 2 + dy) * w + x * 2 + dx) * 4;
          r += rgba[o]! / 4;
          g += rgba[o + 1]! / 4;
          b += rgba[o + 2]! / 4;
        }
        maxC = Math.max(
          maxC,
          Math.abs(p.u[y * (w / 2) + x]! - refU(r, g, b)),
          Math.abs(p.v[y * (w / 2) + x]! - refV(r, g, b)),
        );
      }
    }
    expect(maxY).toBeLessThanOrEqual(1);
    expect(maxC).toBeLessThanOrEqual(1.5);
  });

  it('white, black and pure red land on the standard code values', () => {
    const px = (r: number, g: number, b: number) => {
      const out = new Uint8Array(i420Size(2, 2));
      rgbaToI420(
        new Int32Array(new Uint8Array([r, g, b, 255, r, g, b, 255, r, g, b, 255, r, g, b, 255]).buffer),
        2,
        2,
        i420Planes(out, 2, 2),
      );
      return [...out.subarray(0, 1), out[4], out[5]];
    };
    expect(px(255, 255, 255)).toEqual([235, 128, 128]);
    expect(px(0, 0, 0)).toEqual([16, 128, 128]);
    const red = px(255, 0, 0);
    expect(red[0]).toBeCloseTo(82, -0.5);
    expect(red[2]).toBeGreaterThanOrEqual(239);
  });
});
