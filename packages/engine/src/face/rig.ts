// The rig is what face ingest produces once per avatar and what every renderer consumes per frame.
// Coordinates are pixels in the aligned crop (`width` × `height`), origin top-left.

export type AspectRatio = '4:3' | '3:4' | '1:1';

export interface Point {
  x: number;
  y: number;
}

export interface RigColors {
  /** Average skin tone around the cheeks, [r, g, b] 0..255. */
  skin: [number, number, number];
  lip: [number, number, number];
  /** Dark mouth cavity tone, derived from lip and skin colours. */
  cavity: [number, number, number];
  teeth: [number, number, number];
  /** Upper eyelid tone used to draw blinks. */
  eyelid: [number, number, number];
}

export interface Rig {
  version: 1;
  width: number;
  height: number;
  aspectRatio: AspectRatio;
  /** The aligned, cropped photo (PNG bytes) the mesh refers to. */
  image: Uint8Array;
  /** 478 MediaPipe FaceMesh points (468 + 10 iris), [x0, y0, x1, y1, ...] in crop pixels. */
  mesh: Float32Array;
  /** Named point-index lists into `mesh` (MediaPipe indices): lipsUpperOuter, lipsLowerOuter, lipsUpperInner,
   * lipsLowerInner, leftEyeUpper0, leftEyeLower0, rightEyeUpper0, rightEyeLower0, leftEyebrowUpper, ... */
  regions: Record<string, number[]>;
  colors: RigColors;
  /** Face box in crop pixels, used for scaling motion. */
  faceBox: { x: number; y: number; width: number; height: number };
}
