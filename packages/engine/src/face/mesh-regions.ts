// Named MediaPipe FaceMesh index lists (the names Human uses). "left"/"right" are the subject's own sides, so
// the left eye appears on the right of the image. Lip and lid lists run corner to corner (both corners
// included) so each pair closes a polygon; iris lists start with the iris centre.

export const MESH_POINT_COUNT = 478;

export const MESH_REGIONS = {
  lipsUpperOuter: [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291],
  lipsLowerOuter: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291],
  lipsUpperInner: [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308],
  lipsLowerInner: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  rightEyeUpper0: [33, 246, 161, 160, 159, 158, 157, 173, 133],
  rightEyeLower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  rightEyeUpper1: [130, 247, 30, 29, 27, 28, 56, 190, 243],
  leftEyeUpper0: [263, 466, 388, 387, 386, 385, 384, 398, 362],
  leftEyeLower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
  leftEyeUpper1: [359, 467, 260, 259, 257, 258, 286, 414, 463],
  rightEyebrowUpper: [156, 70, 63, 105, 66, 107, 55, 193],
  rightEyebrowLower: [35, 124, 46, 53, 52, 65],
  leftEyebrowUpper: [383, 300, 293, 334, 296, 336, 285, 417],
  leftEyebrowLower: [265, 353, 276, 283, 282, 295],
  // Human emits the iris of the subject's left eye first (checked against the eye contours).
  leftEyeIris: [468, 469, 470, 471, 472],
  rightEyeIris: [473, 474, 475, 476, 477],
  faceOval: [
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
    149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
  ],
  noseTip: [1],
  midwayBetweenEyes: [168],
  chin: [152],
  foreheadTop: [10],
} satisfies Record<string, number[]>;

export type MeshRegionName = keyof typeof MESH_REGIONS;

export function meshRegions(): Record<string, number[]> {
  return Object.fromEntries(Object.entries(MESH_REGIONS).map(([k, v]) => [k, [...v]]));
}
