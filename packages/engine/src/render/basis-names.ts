// The animation parameters the warp mesh has a displacement basis for, in the order the renderer blends them.

export const basisNames = [
  'jawOpen',
  'mouthWidth',
  'mouthRound',
  'upperLip',
  'lowerLip',
  'blinkLeft',
  'blinkRight',
  'brows',
  'headYaw',
  'headPitch',
  'headRoll',
  'breath',
  // Not a FaceParams field: the part of lip rounding that parts the lips, which the renderer scales with the jaw
  // so a rounded closure ("m" in "moon") still closes.
  'roundOpen',
  // Not a FaceParams field either: undoes the jaw's pull on the lips (FaceParams.lipPress × jawOpen), so the lips
  // meet while the chin stays where the jaw put it.
  'lipPress',
  // Driven by FaceParams.lipPress alone: the pressed lips' own shape (compressed, rolled in, corners drawn in).
  'lipSeal',
  // FaceParams.mouthRound × jawOpen (pressed share taken off): pursed lips hold their corners together however
  // far the jaw drops, so "oo" opens as a small oval in the middle, not along the whole seam.
  'roundSeal',
  // pursed(mouthRound) × roundOpen's jaw ramp: the rounded opening's shape on a clearly rounded vowel (an ellipse
  // in the middle of the seam instead of roundOpen's slot along all of it).
  'roundPurse',
] as const;
export type BasisName = (typeof basisNames)[number];
