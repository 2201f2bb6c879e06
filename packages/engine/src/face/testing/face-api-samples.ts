// Test-only: real photos from the @vladmandic/face-api devDependency, read from node_modules and cropped in
// memory. They are never committed (their licence is the package's, not ours).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

export async function faceApiSample(n: 1 | 2 | 3 | 4 | 5 | 6): Promise<Uint8Array> {
  const dir = dirname(require.resolve('@vladmandic/face-api/package.json'));
  return new Uint8Array(await readFile(join(dir, 'demo', `sample${n}.jpg`)));
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** sample1.jpg (1920×1280, three people): a head-and-shoulders region around the middle person only. */
export const SAMPLE1_MIDDLE_PERSON: Region = { left: 720, top: 230, width: 640, height: 760 };
/** sample1.jpg: the rightmost person, laughing: upper and lower teeth, a dark band between them. */
export const SAMPLE1_RIGHT_PERSON: Region = { left: 1300, top: 120, width: 580, height: 680 };
/** sample3.jpg (1920×1350, three people): the rightmost person, smiling with her upper teeth showing. */
export const SAMPLE3_RIGHT_PERSON: Region = { left: 1380, top: 120, width: 480, height: 560 };
/** sample6.jpg (1920×1537, four people): the leftmost person, nearly frontal. */
export const SAMPLE6_LEFT_PERSON: Region = { left: 40, top: 330, width: 540, height: 680 };

export async function cropJpeg(bytes: Uint8Array, region: Region, resizeWidth?: number): Promise<Uint8Array> {
  let img = sharp(bytes).extract(region);
  if (resizeWidth) img = img.resize(resizeWidth);
  return new Uint8Array(await img.jpeg({ quality: 92 }).toBuffer());
}
