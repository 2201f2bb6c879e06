import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

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
