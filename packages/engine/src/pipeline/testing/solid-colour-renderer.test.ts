import { describe, expect, it } from 'vitest';
import { createSolidColourTestRenderer, readIndexBlocks } from './solid-colour-renderer.js';

const params = { jawOpen: 0.5 } as Parameters<ReturnType<typeof createSolidColourTestRenderer>['render']>[0];

describe('solid-colour renderer index blocks', () => {
  it('reads back every frame index from the luma, also with codec-like noise on it', () => {
    const renderer = createSolidColourTestRenderer({
      width: 640,
      height: 480,
      textured: true,
      indexBlocks: true,
    });
    let seed = 7;
    for (let index = 0; index < 256; index++) {
      const frame = renderer.render(params, index * 40, 'i420');
      expect(readIndexBlocks(frame.data, 640, 480)).toBe(index);
      const noisy = frame.data.slice(0, 640 * 480);
      for (let i = 0; i < noisy.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        noisy[i] = Math.max(0, Math.min(255, noisy[i]! + ((seed >>> 24) % 41) - 20));
      }
      expect(readIndexBlocks(noisy, 640, 480)).toBe(index);
    }
  });

  it('answers undefined for a picture without blocks', () => {
    expect(readIndexBlocks(new Uint8Array(320 * 240).fill(128), 320, 240)).toBeUndefined();
  });
});
