import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeImage } from '../../render/decode-image.js';
import { alignFace } from '../face-alignment.js';
import { analyzeFace, buildRig, type FaceAnalysis } from '../ingest-face.js';
import type { Rig } from '../rig.js';

const EILEEN = fileURLToPath(new URL('../../../assets/avatars/eileen.jpg', import.meta.url));

/** The tilted photo of the contact sheet: eileen.jpg turned 14° on her backdrop grey, its centre 450 × 600 cut. */
export async function tiltedPortrait(): Promise<Uint8Array> {
  const turned = await sharp(EILEEN)
    .rotate(14, { background: { r: 127, g: 127, b: 127 } })
    .toBuffer({ resolveWithObject: true });
  const { width, height } = turned.info;
  const region = {
    left: Math.round((width - 450) / 2),
    top: Math.round((height - 600) / 2),
    width: 450,
    height: 600,
  };
  return new Uint8Array(await sharp(turned.data).extract(region).jpeg({ quality: 92 }).toBuffer());
}

export interface TiltedPortraitRig {
  analysis: FaceAnalysis;
  rig: Rig;
  /** Where the photo's left and right sides land in the 4:3 rig's frame (px, unrounded). */
  photoX0: number;
  photoX1: number;
  height: number;
  /** The rig image's luma at (x, y). */
  luma(x: number, y: number): number;
}

let built: Promise<TiltedPortraitRig> | undefined;

/** The tilted portrait ingested into a 4:3 rig, built once per test file (the tests only read it). */
export function tiltedPortraitRig(): Promise<TiltedPortraitRig> {
  built ??= (async () => {
    const analysis = await analyzeFace(await tiltedPortrait());
    const rig = await buildRig(analysis, '4:3');
    const { transform } = alignFace(
      analysis.mesh,
      analysis.image.width,
      analysis.image.height,
      rig.width,
      rig.height,
    );
    const { rgba, width, height } = decodeImage(rig.image);
    const luma = (x: number, y: number) => {
      const o = (y * width + x) * 4;
      return 0.299 * rgba[o]! + 0.587 * rgba[o + 1]! + 0.114 * rgba[o + 2]!;
    };
    return {
      analysis,
      rig,
      photoX0: transform.e,
      photoX1: transform.a * analysis.image.width + transform.e,
      height,
      luma,
    };
  })();
  return built;
}
