// Draws one illustrated avatar on its placed template mesh, back to front.
import { createCanvas } from '@napi-rs/canvas';
import type { CharacterStyle } from './character-styles.js';
import { drawEars, drawFace } from './draw-face.js';
import { drawBackdrop, drawClothes, drawNeck } from './draw-figure.js';
import { drawHairBack, drawHairFront } from './draw-hair.js';
import { FaceGeometry } from './face-geometry.js';

export interface Portrait {
  rgba: Uint8Array;
  png: Uint8Array;
}

export async function drawPortrait(
  style: CharacterStyle,
  mesh: Float32Array,
  width: number,
  height: number,
): Promise<Portrait> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const g = new FaceGeometry(mesh);
  drawBackdrop(ctx, width, height, style);
  drawHairBack(ctx, g, style);
  drawNeck(ctx, g, style);
  drawClothes(ctx, g, style, height);
  drawEars(ctx, g, style);
  drawFace(ctx, g, style);
  drawHairFront(ctx, g, style);
  const rgba = new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer.slice(0));
  return { rgba, png: new Uint8Array(await canvas.encode('png')) };
}
