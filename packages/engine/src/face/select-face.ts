// Picks the one prominent face of a portrait, or explains why there is none.
//
// Rule for several faces: people in the background are tolerated when their face is less than
// `secondaryFaceRatio` (default 0.6) times the height of the main face; a second face at least that large means
// the photo has two subjects and is refused with MULTIPLE_FACES, since we cannot know which one to animate.
import type { DetectedFace } from './human-model.js';
import { FaceIngestError } from './ingest-errors.js';

export interface FaceSelectionOptions {
  /** Minimum forehead-to-chin height of the face in source pixels. Default 64. */
  minFaceSize?: number;
  /** Other faces smaller than this fraction of the main face are ignored. Default 0.6. */
  secondaryFaceRatio?: number;
}

export const DEFAULT_MIN_FACE_SIZE = 64;
export const DEFAULT_SECONDARY_FACE_RATIO = 0.6;

/** Forehead-top (10) to chin (152) distance, which does not change with roll. */
export function meshFaceHeight(mesh: ReadonlyArray<readonly number[]>): number {
  const top = mesh[10];
  const chin = mesh[152];
  if (!top || !chin) return 0;
  return Math.hypot((chin[0] ?? 0) - (top[0] ?? 0), (chin[1] ?? 0) - (top[1] ?? 0));
}

function faceSize(face: DetectedFace): number {
  return Math.max(face.box[2], face.box[3]);
}

export function selectProminentFace(faces: DetectedFace[], options: FaceSelectionOptions = {}): DetectedFace {
  const minFaceSize = options.minFaceSize ?? DEFAULT_MIN_FACE_SIZE;
  const ratio = options.secondaryFaceRatio ?? DEFAULT_SECONDARY_FACE_RATIO;
  const withMesh = faces.filter((f) => f.mesh.length >= 478);
  if (withMesh.length === 0) {
    throw new FaceIngestError(
      'NO_FACE',
      'No face was found in the image. Use a clear, front-facing portrait.',
    );
  }
  const sorted = [...withMesh].sort((a, b) => faceSize(b) - faceSize(a));
  const main = sorted[0]!;
  const rivals = sorted.slice(1).filter((f) => faceSize(f) >= ratio * faceSize(main));
  if (rivals.length > 0) {
    throw new FaceIngestError(
      'MULTIPLE_FACES',
      `The image contains ${rivals.length + 1} faces of similar size; use a photo with exactly one person.`,
    );
  }
  const height = meshFaceHeight(main.mesh);
  if (height < minFaceSize) {
    throw new FaceIngestError(
      'FACE_TOO_SMALL',
      `The face is too small (${Math.round(height)} px from forehead to chin, at least ${minFaceSize} px needed).`,
    );
  }
  return main;
}
