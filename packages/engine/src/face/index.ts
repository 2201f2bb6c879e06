export { type DetectOptions, detectFaces, loadFaceModel } from './human-model.js';
export { FaceIngestError, type FaceIngestErrorCode, isFaceIngestError } from './ingest-errors.js';
export {
  analyzeFace,
  buildRig,
  type FaceAnalysis,
  type IngestOptions,
  type IngestResult,
  ingestFace,
  previewOf,
} from './ingest-face.js';
export { drawMeshOverlay } from './mesh-overlay.js';
export { MESH_POINT_COUNT, MESH_REGIONS, type MeshRegionName } from './mesh-regions.js';
export { ASPECT_RATIOS, outputSize, type ResolutionPreset } from './output-size.js';
export type { AspectRatio, Point, Rig, RigColors } from './rig.js';
export { decodeRig, encodeRig, RigFormatError, type RigJson, rigFromJson, rigToJson } from './rig-codec.js';
