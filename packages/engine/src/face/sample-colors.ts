// Colours the renderer needs to paint what the photo does not show (mouth interior, closed lids), sampled
// from the aligned crop so they match the person and the lighting.
import type { RigColors } from './rig.js';

type Rgb = [number, number, number];

interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Median per channel of the pixels in discs around the given points (robust to specular highlights). */
function medianAround(img: Pixels, points: Array<[number, number]>, radius: number): Rgb {
  const channels: [number[], number[], number[]] = [[], [], []];
  const r = Math.max(1, Math.round(radius));
  for (const [cx, cy] of points) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (dx * dx + dy * dy > r * r) continue;
        const x = Math.round(cx + dx);
        const y = Math.round(cy + dy);
        if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
        const o = (y * img.width + x) * 4;
        channels[0].push(img.rgba[o]!);
        channels[1].push(img.rgba[o + 1]!);
        channels[2].push(img.rgba[o + 2]!);
      }
    }
  }
  return channels.map((c) => {
    if (c.length === 0) return 128;
    c.sort((a, b) => a - b);
    return c[c.length >> 1]!;
  }) as Rgb;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i]! * (1 - t) + b[i]! * t)) as Rgb;
}

function scale(c: Rgb, k: number): Rgb {
  return c.map((v) => Math.max(0, Math.min(255, Math.round(v * k)))) as Rgb;
}

function luma(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

export function sampleColors(img: Pixels, mesh: Float32Array, faceHeight: number): RigColors {
  const p = (i: number): [number, number] => [mesh[2 * i]!, mesh[2 * i + 1]!];
  const mid = (i: number, j: number): [number, number] => {
    const [ax, ay] = p(i);
    const [bx, by] = p(j);
    return [(ax + bx) / 2, (ay + by) / 2];
  };
  // Cheek centres (MediaPipe 205/425 and the nearby 50/280).
  const skin = medianAround(img, [p(205), p(425), p(50), p(280)], faceHeight * 0.03);
  // Lip flesh halfway between the outer and inner contours, away from the corners.
  const lip = medianAround(
    img,
    [mid(0, 13), mid(37, 82), mid(267, 312), mid(17, 14), mid(84, 87), mid(314, 317)],
    faceHeight * 0.008,
  );
  // The band between the lid and the brow (the upper lid when the eye closes).
  const eyelid = medianAround(
    img,
    [mid(159, 27), mid(386, 257), mid(158, 28), mid(385, 258)],
    faceHeight * 0.006,
  );
  // A deep, warm shadow in the lip's hue: real mouth interiors are dark red-brown, not black.
  const cavity = scale(mix(lip, [90, 20, 25], 0.45), 0.32);
  // Teeth: off-white, taking a little of the skin tone and the photo's brightness so they do not glow.
  const brightness = Math.min(1, Math.max(0.82, luma(skin) / 150));
  const teeth = scale(mix([240, 234, 222], skin, 0.15), 0.9 * brightness);
  return { skin, lip, cavity, teeth, eyelid };
}

/**
 * Teeth for a drawn face: near-white, a touch of the skin's warmth, dimmed only a little on a dark skin. The
 * photo rule (off-white scaled by the skin's brightness, so they do not glow in a photo) left the drawn teeth at
 * the skin's own luma on light skins (milo, nora: 1.03 and 0.97 of it) and at 150 on ada's: a grey row where an
 * illustration has white teeth.
 */
export function drawnTeeth(skin: Rgb): Rgb {
  return scale(mix([252, 246, 234], skin, 0.1), Math.min(1, Math.max(0.9, luma(skin) / 160)));
}
