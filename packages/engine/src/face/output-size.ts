// Output frame sizes per aspect ratio and resolution preset (spec section 9).
import type { AspectRatio } from './rig.js';

export type ResolutionPreset = 'sd' | 'hd';

export const ASPECT_RATIOS: readonly AspectRatio[] = ['4:3', '3:4', '1:1'];

const SIZES: Record<ResolutionPreset, Record<AspectRatio, { width: number; height: number }>> = {
  sd: {
    '4:3': { width: 640, height: 480 },
    '3:4': { width: 480, height: 640 },
    '1:1': { width: 512, height: 512 },
  },
  hd: {
    '4:3': { width: 1200, height: 900 },
    '3:4': { width: 900, height: 1200 },
    '1:1': { width: 1200, height: 1200 },
  },
};

export function outputSize(aspectRatio: AspectRatio, preset: ResolutionPreset = 'sd') {
  return { ...SIZES[preset][aspectRatio] };
}
