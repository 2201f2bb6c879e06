// Face ingest: photo bytes → aligned crop + rig. Runs once per avatar; the expensive part (decode + model)
// is done once by analyzeFace and can feed rigs for every aspect ratio.
import sharp from 'sharp';
import { renderRestFrame } from '../render/rest-frame.js';
import { renderCrop } from './crop-image.js';
import { decodeImage, type RgbImage } from './decode-image.js';
import { stretchTarget } from './edge-stretch.js';
import { alignFace, applyAffine, levelPoint } from './face-alignment.js';
import { type DetectedFace, detectFaces } from './human-model.js';
import { MESH_POINT_COUNT, MESH_REGIONS, meshRegions } from './mesh-regions.js';
import { outputSize, type ResolutionPreset } from './output-size.js';
import type { AspectRatio, Rig } from './rig.js';
import { sampleColors } from './sample-colors.js';
import { type FaceSelectionOptions, selectProminentFace } from './select-face.js';

/** The detector sees at most this many pixels on the long side; its own inputs are far smaller anyway. */
const DETECT_MAX_SIDE = 1280;

export interface FaceAnalysis {
  image: RgbImage;
  /** 478 points [x, y] in source pixels. */
  mesh: Array<[number, number]>;
  score: number;
}

export interface IngestOptions extends FaceSelectionOptions {
  aspectRatio?: AspectRatio;
  preset?: ResolutionPreset;
}

export interface IngestResult {
  rig: Rig;
  /** A small JPEG of the aligned crop, for listings. */
  preview: Uint8Array;
}

async function detectOn(image: RgbImage): Promise<DetectedFace[]> {
  const k = Math.min(1, DETECT_MAX_SIDE / Math.max(image.width, image.height));
  if (k === 1) return detectFaces(image.data, image.width, image.height);
  const width = Math.round(image.width * k);
  const height = Math.round(image.height * k);
  const small = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const faces = await detectFaces(new Uint8Array(small), width, height);
  const sx = image.width / width;
  const sy = image.height / height;
  return faces.map((f) => ({
    score: f.score,
    box: [f.box[0] * sx, f.box[1] * sy, f.box[2] * sx, f.box[3] * sy],
    mesh: f.mesh.map(([x, y, z]) => [x * sx, y * sy, z * sx] as [number, number, number]),
  }));
}

export async function analyzeFace(
  bytes: Uint8Array,
  options: FaceSelectionOptions = {},
): Promise<FaceAnalysis> {
  const image = await decodeImage(bytes);
  const faces = await detectOn(image);
  const face = selectProminentFace(faces, options);
  return { image, mesh: face.mesh.map(([x, y]) => [x, y]), score: face.score };
}

export async function buildRig(
  analysis: FaceAnalysis,
  aspectRatio: AspectRatio,
  preset: ResolutionPreset = 'sd',
): Promise<Rig> {
  const { width, height } = outputSize(aspectRatio, preset);
  const { transform, level, stretch } = alignFace(
    analysis.mesh,
    analysis.image.width,
    analysis.image.height,
    width,
    height,
  );
  const mesh = new Float32Array(MESH_POINT_COUNT * 2);
  for (let i = 0; i < MESH_POINT_COUNT; i++) {
    const [x, y] = analysis.mesh[i] ?? [0, 0];
    const [ox, oy] = levelPoint(level, ...applyAffine(transform, x, y));
    mesh[2 * i] = stretchTarget(stretch.x, ox);
    mesh[2 * i + 1] = stretchTarget(stretch.y, oy);
  }
  const faceHeight = Math.hypot(mesh[2 * 152]! - mesh[2 * 10]!, mesh[2 * 152 + 1]! - mesh[2 * 10 + 1]!);
  // Beyond the photo the backdrop is expected above the chin and the body from about its height down (a
  // zoomed-out portrait's shoulders reach the frame's sides there).
  const crop = await renderCrop(analysis.image, transform, width, height, level, stretch, {
    chinY: mesh[2 * 152 + 1]!,
    fadeRows: 0.25 * faceHeight,
  });
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const i of MESH_REGIONS.faceOval) {
    minX = Math.min(minX, mesh[2 * i]!);
    maxX = Math.max(maxX, mesh[2 * i]!);
    minY = Math.min(minY, mesh[2 * i + 1]!);
    maxY = Math.max(maxY, mesh[2 * i + 1]!);
  }
  return {
    version: 1,
    width,
    height,
    aspectRatio,
    image: crop.png,
    mesh,
    regions: meshRegions(),
    colors: sampleColors(crop, mesh, faceHeight),
    faceBox: { x: minX, y: minY, width: maxX - minX, height: maxY - minY },
  };
}

/** A small JPEG of the rig's rest frame: what the video shows before the avatar speaks (lips closed). */
export async function previewOf(rig: Rig, maxSide = 256): Promise<Uint8Array> {
  const jpeg = await sharp(await renderRestFrame(rig))
    .resize(maxSide, maxSide, { fit: 'inside' })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
  return new Uint8Array(jpeg);
}

/** One photo → one rig at the requested aspect ratio and preset (defaults 4:3, sd). */
export async function ingestFace(bytes: Uint8Array, options: IngestOptions = {}): Promise<IngestResult> {
  const analysis = await analyzeFace(bytes, options);
  const rig = await buildRig(analysis, options.aspectRatio ?? '4:3', options.preset ?? 'sd');
  return { rig, preview: await previewOf(rig) };
}
