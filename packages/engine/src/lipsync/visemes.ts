// Mouth targets for the ARPAbet phonemes Flite produces, with a dominance that says how strongly each phoneme
// holds its shape against its neighbours (coarticulation, after Cohen & Massaro): lip closures and lip tucks
// are hit fully. Tongue consonants (t, d, n, k, g) raise the jaw to a near-closed, teeth-together shape as
// animators draw them (Rhubarb's shape B), with only a little of the neighbouring vowels' opening; h and l
// mostly borrow the vowel's shape.

/** [jawOpen, mouthWidth, mouthRound, upperLip, lowerLip], as in MouthParams. */
export type MouthTarget = readonly [number, number, number, number, number];

export interface Viseme {
  name: string;
  target: MouthTarget;
  dominance: number;
  /** How far (ms) the shape reaches into neighbours; short for lip contacts, which are quick. */
  spreadMs: number;
}

const v = (name: string, dominance: number, ...target: [number, number, number, number, number]): Viseme => ({
  name,
  target,
  dominance,
  spreadMs: 28,
});
const quick = (viseme: Viseme, spreadMs: number): Viseme => ({ ...viseme, spreadMs });

export const REST = v('rest', 1, 0, 0.5, 0, 0, 0);
const CLOSED = quick(v('MBP', 12, 0, 0.5, 0, 0, 0), 12);
const LIP_TUCK = quick(v('FV', 8, 0.08, 0.55, 0, 0.25, 1), 14);

const AA = v('AA', 1.5, 0.85, 0.55, 0.05, 0.25, 0);
const AE = v('AE', 1.5, 0.7, 0.7, 0, 0.3, 0);
const AH = v('AH', 1.3, 0.6, 0.52, 0, 0.2, 0);
const AO = v('AO', 1.5, 0.7, 0.35, 0.5, 0.15, 0);
const AX = v('AX', 1, 0.4, 0.5, 0, 0.1, 0);
const EH = v('EH', 1.3, 0.55, 0.65, 0, 0.25, 0);
const ER = v('ER', 1.3, 0.35, 0.4, 0.4, 0.15, 0);
const IH = v('IH', 1.2, 0.38, 0.7, 0, 0.2, 0);
const IY = v('IY', 1.5, 0.22, 0.9, 0, 0.25, 0);
const UH = v('UH', 1.3, 0.35, 0.35, 0.6, 0.1, 0);
const UW = v('UW', 2, 0.2, 0.15, 1, 0.05, 0);

/** Diphthongs glide from the first shape to the second over their duration. */
export const diphthongs: Record<string, readonly [Viseme, Viseme]> = {
  aw: [AA, UW],
  ay: [AA, IY],
  ey: [EH, IY],
  ow: [AO, UW],
  oy: [AO, IY],
};

export const visemes: Record<string, Viseme> = {
  pau: REST,
  aa: AA,
  ae: AE,
  ah: AH,
  ao: AO,
  ax: AX,
  eh: EH,
  er: ER,
  ih: IH,
  iy: IY,
  uh: UH,
  uw: UW,
  p: CLOSED,
  b: CLOSED,
  m: CLOSED,
  f: LIP_TUCK,
  v: LIP_TUCK,
  w: v('W', 4, 0.12, 0.1, 0.95, 0, 0),
  r: v('R', 1.5, 0.22, 0.35, 0.55, 0.1, 0),
  y: v('Y', 1, 0.2, 0.8, 0, 0.15, 0),
  l: v('L', 0.8, 0.32, 0.5, 0, 0.15, 0),
  th: v('TH', 2, 0.18, 0.55, 0, 0.2, 0.2),
  dh: v('TH', 1.2, 0.18, 0.55, 0, 0.2, 0.2),
  s: v('S', 2.5, 0.08, 0.68, 0, 0.3, 0),
  z: v('S', 2, 0.08, 0.68, 0, 0.3, 0),
  sh: v('SH', 3, 0.12, 0.3, 0.65, 0.35, 0),
  zh: v('SH', 3, 0.12, 0.3, 0.65, 0.35, 0),
  ch: v('SH', 3, 0.12, 0.3, 0.6, 0.35, 0),
  jh: v('SH', 3, 0.12, 0.3, 0.6, 0.35, 0),
  t: v('T', 1.6, 0.15, 0.55, 0, 0.15, 0),
  d: v('T', 1.4, 0.15, 0.55, 0, 0.15, 0),
  n: v('T', 1.2, 0.15, 0.55, 0, 0.1, 0),
  k: v('K', 1.2, 0.25, 0.5, 0, 0.1, 0),
  g: v('K', 1, 0.25, 0.5, 0, 0.1, 0),
  ng: v('K', 1, 0.22, 0.5, 0, 0.1, 0),
  hh: v('H', 0.15, 0.35, 0.5, 0, 0.1, 0),
};

/** Lip closures (p, b, m) must show a fully closed frame; labiodentals (f, v) a tucked lower lip. */
export const closurePhonemes = new Set(['p', 'b', 'm']);
export const lipTuckPhonemes = new Set(['f', 'v']);

export function visemeFor(phoneme: string): Viseme {
  return visemes[phoneme] ?? diphthongs[phoneme]?.[0] ?? AX;
}
