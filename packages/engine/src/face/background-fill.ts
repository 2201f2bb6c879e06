// The frame beyond a photo that is narrower (or shorter) than the frame: an estimate of what a camera would have
// seen there, not a copy of the photo's edge. Extending the edge pixels outward draws their every change as a
// streak to the frame's side (and a curl of hair touching the edge as a dark band); mirroring the photo brings
// the subject's skin back as ghosts. Instead the photo's border band is averaged over a neighbourhood that grows
// with the distance from the photo (a normalised Gaussian pyramid), so the fill is the border's colour near the
// photo and an ever smoother field further out, with grain matched to the photo's so it is not a flat card.
// Above the chin the border is expected to be backdrop: pixels there that stand out from a robust fit of the
// backdrop (hair or a shoulder touching the photo's edge) are left out of the estimate. Below the chin the
// body continues past the photo, so its border (a shirt) is kept. The photo fades into the fill over a band
// inside its edge, so there is no seam. Where the backdrop is expected, the band is wider and each pixel fades by
// how far it stands out from the fill: backdrop at once, light strands of hair sooner than dense hair, so hair
// touching the photo's side ends along its own texture, not in a straight vertical fade. Beside the photo
// below the chin each row's border (a shirt, the backdrop above a shoulder) continues outwards, blurring slowly,
// so clothes go on in their own colour instead of averaging with the backdrop above into a pale smudge. Where the
// side's shirt is one plain surface under a clear shoulder top, the body there is a model of that shirt and its
// shoulder instead (shirt-model.ts), under the backdrop's field: rows carried outwards drew every fold as a streak.

import { type Sample, sampleWeights } from './backdrop-fit.js';
import { type EdgeColumn, edgeColumn } from './edge-column.js';
import { fieldAt, type Level, luma, reduce, smoothstep } from './fill-pyramid.js';
import { hairOutline, smoothedLuma } from './hair-outline.js';
import { featherSideSeams, SEAM_FEATHER_PX, SHIRT_FEATHER_PX } from './seam-feather.js';
import { type ShirtModel, shirtModel } from './shirt-model.js';
import { type ShoulderLine, shoulderTop, topAt } from './shoulder-line.js';
import { carriedShade, sideSlopes } from './side-shading.js';

/** Frame pixels that hold the photo: [x0, x1) × [y0, y1). */
export interface PhotoRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface FillHints {
  /** Frame row of the chin: above it the border is backdrop (hair there is left out), below it the body. */
  chinY: number;
  /** Rows over which that expectation fades, centred on the chin (shoulders can start at its height). */
  fadeRows: number;
}

/** Blend band inside the photo and the fill's finest blur, as shares of the frame's shorter side. */
const BLEND = 0.05;
/** How fast the averaging neighbourhood grows with the distance from the photo (σ = σ₀ + GROWTH · d). */
const GROWTH = 0.6;
/**
 * The blend band where the backdrop is expected, in bands; the luma difference from the fill (levels) at which a
 * pixel counts as fully hair; hair ends (hair-outline.ts) soft over HAIR_SOFT px, dense hair reaching up to
 * HAIR_JITTER px further than light strands.
 */
const HAIR_BAND = 2.5;
const HAIR_CONTRAST = 60;
// (Over 16 px the end was a blurred halo round the curls beside the photo: a soft outline no camera makes.)
const HAIR_SOFT = 6;
const HAIR_JITTER = 24;
/** Levels under the backdrop at which a border row above the chin counts as hair, not to be continued. */
const HAIR_DARKER = 12;
/** A shoulder's top falls this many rows per column away from the photo's side (bending to it: shoulder-line.ts). */
const SHOULDER_SLOPE = 0.45;
/**
 * How fast the blur grows beside the photo below the chin, where rows continue (σ = σ₀ + BODY_GROWTH · d). Growing
 * faster (0.15), it lifted the shirt's top as much as the slope lowered it: a level band of shirt, not a shoulder.
 */
const BODY_GROWTH = 0.06;
/**
 * The continued rows' blur at the photo's side (px, half a box's height). Read from the pyramid at the fill's own
 * scale (σ₀ = the 24 px blend band) the shirt went on as a pale blur with no shoulder line.
 */
const BESIDE_RADIUS = 1;

/** 1 − weight of the photo at (x, y): 0 deep inside, 1 at and beyond a side that faces the fill. */
function fillShare(
  x: number,
  y: number,
  r: PhotoRect,
  band: number,
  w: number,
  h: number,
  sides = 1,
): number {
  let keep = 1;
  if (r.x0 > 0) keep *= 1 - sides * (1 - smoothstep((x + 0.5 - r.x0) / band));
  if (r.x1 < w) keep *= 1 - sides * (1 - smoothstep((r.x1 - x - 0.5) / band));
  if (r.y0 > 0) keep *= smoothstep((y + 0.5 - r.y0) / band);
  if (r.y1 < h) keep *= smoothstep((r.y1 - y - 0.5) / band);
  return 1 - keep;
}

/** Deterministic grain (the same photo gives the same rig): a small xorshift generator, Gaussian by Box–Muller. */
function gaussianSource(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
}

/** Robust standard deviation of the border's fine grain (luma minus its 3×3 mean), in levels. */
function grainLevel(
  rgba: Uint8ClampedArray,
  width: number,
  samples: Sample[],
  weights: Float64Array,
): number {
  const d: number[] = [];
  const l = (x: number, y: number) => {
    const o = (y * width + x) * 4;
    return luma(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!);
  };
  for (let i = 0; i < samples.length; i += 3) {
    const { x, y } = samples[i]!;
    if (weights[i]! < 0.5 || x < 1 || y < 1 || x >= width - 1 || y >= rgba.length / 4 / width - 1) continue;
    let m = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) m += l(x + dx, y + dy) / 9;
    d.push(Math.abs(l(x, y) - m));
  }
  if (d.length === 0) return 0;
  d.sort((a, b) => a - b);
  // MAD → σ, and the 3×3 mean takes (8/9)^½ of white noise's deviation with it.
  return Math.min(6, (d[d.length >> 1]! * 1.4826) / Math.sqrt(8 / 9));
}

/**
 * Fills `rgba` (width × height, opaque RGBA) beyond `rect` with the estimated background and fades the photo
 * into it over a band inside `rect`. Nothing is changed when the photo covers the frame.
 */
export function fillBeyondPhoto(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  rect: PhotoRect,
  hints: FillHints,
): void {
  const r = {
    x0: Math.max(0, rect.x0),
    y0: Math.max(0, rect.y0),
    x1: Math.min(width, rect.x1),
    y1: Math.min(height, rect.y1),
  };
  if (r.x0 <= 0 && r.y0 <= 0 && r.x1 >= width && r.y1 >= height) return;
  const band = Math.max(4, BLEND * Math.min(width, height));
  // The border band the estimate is drawn from: the photo's pixels within `band` of a side that faces the fill.
  const samples: Sample[] = [];
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      const near =
        (r.x0 > 0 && x - r.x0 < band) ||
        (r.x1 < width && r.x1 - 1 - x < band) ||
        (r.y0 > 0 && y - r.y0 < band) ||
        (r.y1 < height && r.y1 - 1 - y < band);
      if (!near) continue;
      const o = (y * width + x) * 4;
      let m = 0;
      let m2 = 0;
      let n = 0;
      for (let v = Math.max(r.y0, y - 2); v <= Math.min(r.y1 - 1, y + 2); v++)
        for (let u = Math.max(r.x0, x - 2); u <= Math.min(r.x1 - 1, x + 2); u++) {
          const q = (v * width + u) * 4;
          const l = luma(rgba[q]!, rgba[q + 1]!, rgba[q + 2]!);
          m += l;
          m2 += l * l;
          n++;
        }
      samples.push({
        texture: Math.sqrt(Math.max(0, m2 / n - (m / n) ** 2)),
        x,
        y,
        rgb: [rgba[o]!, rgba[o + 1]!, rgba[o + 2]!],
        backdrop: 1 - smoothstep((y - hints.chinY) / Math.max(1, hints.fadeRows) + 0.5),
      });
    }
  }
  if (samples.length === 0) return;
  const weights = sampleWeights(samples);
  const grain = grainLevel(rgba, width, samples, weights);

  const base: Level = { w: width, h: height, data: new Float64Array(width * height * 4) };
  // The backdrop alone: the samples above the chin that fit it. Where the backdrop is expected the fill is read
  // from these only; from all samples the growing neighbourhood took in the shirt below the chin, and the fill
  // beside the neck came out far lighter than the photo's own backdrop there, which then read as a strip.
  const backBase: Level = { w: width, h: height, data: new Float64Array(width * height * 4) };
  let mean = [0, 0, 0];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const o = (s.y * width + s.x) * 4;
    const w = weights[i]!;
    // weights = 1 − backdrop + backdrop · fit, so this is backdrop · fit.
    const wb = Math.max(0, w - 1 + s.backdrop);
    for (let c = 0; c < 3; c++) {
      base.data[o + c] = w * s.rgb[c]!;
      backBase.data[o + c] = wb * s.rgb[c]!;
      mean[c]! += w * s.rgb[c]!;
    }
    base.data[o + 3] = w;
    backBase.data[o + 3] = wb;
    total += w;
  }
  mean = mean.map((v) => v / Math.max(total, 1e-9));
  // σ of level k in frame pixels: each reduce blurs by one sample of the level it starts from.
  const levels: Level[] = [base];
  const backLevels: Level[] = [backBase];
  const sigmas = [0];
  while (levels.at(-1)!.w > 2 && levels.at(-1)!.h > 2) {
    levels.push(reduce(levels.at(-1)!));
    backLevels.push(reduce(backLevels.at(-1)!));
    const k = levels.length - 1;
    sigmas.push(Math.sqrt(sigmas[k - 1]! ** 2 + 4 ** (k - 1)));
  }
  const sigma0 = band;
  const rng = gaussianSource(0x5eed ^ (width * 131 + height));
  const acc = new Float64Array(4);
  const iso = new Float64Array(3);
  // The photo's luma before any blending, 3 × 3 averaged: how far a pixel stands out from the fill (hair).
  const photoLuma = smoothedLuma(rgba, width, height);
  const hairBand = HAIR_BAND * band;
  const hairEnds = hairOutline(levels, sigmas, photoLuma, width, height, r, hairBand, sigma0);
  // The photo's side columns as photographed (before any fading), for the rows continued beside it; and below the
  // chin, as they come out of a first pass over the photo's own columns (its bottom band faded into the blur under it).
  // Continued unfaded there, the side met the photo's faded bottom rows in a step (the tilted photo's lower right:
  // 199 against 219 on the last row). Above that band the sides stay as photographed: continuing them faded into
  // the field round the chin blurred the shoulder's edge.
  const leftRaw = r.x0 > 0 ? edgeColumn(rgba, width, r, r.x0, 1) : null;
  const rightRaw = r.x1 < width ? edgeColumn(rgba, width, r, r.x1 - 1, -1) : null;
  // And the light's slope across them, carried on with the rows (side-shading.ts).
  const leftSlopes = leftRaw && sideSlopes(rgba, width, r, 'left');
  const rightSlopes = rightRaw && sideSlopes(rgba, width, r, 'right');
  const rowOf = (y: number) => Math.max(0, Math.min(r.y1 - r.y0 - 1, Math.round(y) - r.y0));
  // Where each side's shoulder top goes and the shirt under it (read from the photo before any fading). Where no
  // shirt can be modelled, the rows continue the side's pixels from a row higher as the top falls.
  const fromY = hints.chinY - hints.fadeRows / 2;
  const leftLine = r.x0 > 0 ? shoulderTop(rgba, width, r, 'left', fromY) : null;
  const rightLine = r.x1 < width ? shoulderTop(rgba, width, r, 'right', fromY) : null;
  const leftShirt = leftLine && shirtModel(rgba, width, r, 'left', leftLine, SHOULDER_SLOPE);
  const rightShirt = rightLine && shirtModel(rgba, width, r, 'right', rightLine, SHOULDER_SLOPE);
  // (Without a shirt, a top rising to the side leaves it level and bends to the fall; any other falls at once.)
  const drop = (line: ShoulderLine | null) => (d: number) =>
    line && line.slope < 0 ? topAt({ row: 0, slope: 0 }, d, SHOULDER_SLOPE) : SHOULDER_SLOPE * d;
  const leftDrop = drop(leftLine);
  const rightDrop = drop(rightLine);
  const shirt = new Float64Array(3);
  let leftDone: EdgeColumn | null = null;
  let rightDone: EdgeColumn | null = null;
  const faded = new Float64Array(3);
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1 && r.y1 < height) {
      leftDone = leftRaw && edgeColumn(rgba, width, r, r.x0, 1);
      rightDone = rightRaw && edgeColumn(rgba, width, r, r.x1 - 1, -1);
    }
    for (let y = 0; y < height; y++) {
      const backdrop = 1 - smoothstep((y - hints.chinY) / Math.max(1, hints.fadeRows) + 0.5);
      for (let x = 0; x < width; x++) {
        if ((x < r.x0 || x >= r.x1) !== (pass === 1)) continue;
        // Below the chin the photo's sides are not faded: the rows beside them continue its edge pixels (sharply),
        // and a photo faded into the blurred field met them in a seam.
        const inside = x >= r.x0 && x < r.x1;
        const plain = fillShare(x, y, r, band, width, height, inside ? backdrop : 1);
        const wide = backdrop > 0 ? fillShare(x, y, r, hairBand, width, height) : 0;
        if (plain <= 0 && wide <= 0) continue;
        const dx = Math.max(r.x0 - (x + 0.5), x + 0.5 - r.x1, 0);
        const dy = Math.max(r.y0 - (y + 0.5), y + 0.5 - r.y1, 0);
        // Under the photo the body goes on downwards: the field there is the photo's bottom edge, blurred more
        // across with the distance (a chest and shirt continued, not a fog of skin and shirt mixed).
        const sy = y >= r.y1 && x >= r.x0 && x < r.x1 ? r.y1 - 1 : y;
        const sigma = sigma0 + GROWTH * Math.hypot(dx, dy);
        fieldAt(levels, sigmas, acc, x, sy, sigma);
        const wt = acc[3]! + 1e-9;
        for (let c = 0; c < 3; c++) iso[c] = (acc[c]! + 1e-9 * mean[c]!) / wt;
        // Beside the photo the backdrop is what lies behind at every height: the body there is each row's border
        // continued (below), whose shoulder falls away into this backdrop rather than into a haze of shirt.
        // (The corners beside and below the photo too: read as the area under it, they ended the side's shirt in a
        // strip of other colour along the frame's bottom.)
        const side = x < r.x0 || x >= r.x1;
        const kb = side ? 1 : backdrop;
        if (kb > 0) {
          fieldAt(backLevels, sigmas, acc, x, sy, sigma);
          // Only as far as backdrop samples reach this scale (a side that is all hair falls back to the rest).
          const k = kb * Math.min(1, acc[3]! / Math.max(1e-9, 0.25 * wt));
          if (k > 0) for (let c = 0; c < 3; c++) iso[c]! += (acc[c]! / acc[3]! - iso[c]!) * k;
        }
        // The shirt beside a side, and inside it where the photo fades into the fill (the fill there is the same
        // shirt and shoulder, not the field's blur of shirt and backdrop: a pale blob round the shoulder's top).
        const model: ShirtModel | null = x + 0.5 - r.x0 < r.x1 - (x + 0.5) ? leftShirt : rightShirt;
        let cover = 0;
        if (model) {
          const d = model === leftShirt ? r.x0 - (x + 0.5) : x + 0.5 - r.x1;
          // Inside, only as far as the shirt was read (the field under the photo is the chest's, not this shirt).
          cover = model.cover(d, y) * (1 - smoothstep(-d / band - 1));
          if (cover > 0) {
            model.colour(d, y, shirt);
            for (let c = 0; c < 3; c++) iso[c]! += (shirt[c]! - iso[c]!) * cover;
          }
        }
        // Beside the photo below the chin: the border of a row a little higher, continued outwards, so a
        // shoulder's top falls away from the photo as shoulders do (shoulder-line.ts).
        const beside = side && !model ? 1 - backdrop : 0;
        if (beside > 0) {
          const bx = Math.max(r.x0, Math.min(r.x1 - 1, x));
          const by = Math.min(r.y1 - 1, Math.max(r.y0, y - (bx === r.x0 ? leftDrop : rightDrop)(dx)));
          const edge = bx === r.x0 ? leftRaw : rightRaw;
          if (edge) {
            const radius = BESIDE_RADIUS + BODY_GROWTH * dx;
            edge.mean(by, radius, acc);
            const done = bx === r.x0 ? leftDone : rightDone;
            // The faded column wherever its sides were left unfaded (below the chin), so only its bottom band.
            const below = done ? smoothstep((by - hints.chinY) / Math.max(1, hints.fadeRows) + 0.5) : 0;
            if (below > 0) {
              done!.mean(by, radius, faded);
              for (let c = 0; c < 3; c++) acc[c]! += (faded[c]! - acc[c]!) * below;
            }
            // A shoulder's fall reaches back far enough up that, out by the frame's side, it read the hair touching
            // the photo's edge above the chin: a dark smudge at shoulder height (the tilted photo's right edge, 15
            // levels under the backdrop). A border row above the chin darker than the backdrop there is hair, and
            // the backdrop goes on instead (the backdrop over a shoulder, or a shirt, still goes on as it is).
            const aboveChin = 1 - smoothstep((by - hints.chinY) / Math.max(1, hints.fadeRows) + 0.5);
            const darker = luma(iso[0]!, iso[1]!, iso[2]!) - luma(acc[0]!, acc[1]!, acc[2]!);
            const hair = aboveChin * Math.max(0, Math.min(1, darker / HAIR_DARKER));
            const shade = carriedShade((bx === r.x0 ? leftSlopes : rightSlopes)![rowOf(by)]!, dx);
            const lift = 1 + shade / Math.max(1, luma(acc[0]!, acc[1]!, acc[2]!));
            for (let c = 0; c < 3; c++) iso[c]! += (acc[c]! * lift - iso[c]!) * beside * (1 - hair);
          }
        }
        let share = plain;
        if (backdrop > 0 && wide > 0 && x >= r.x0 && x < r.x1) {
          // Hair near a side ends along the outline `hairOutline` found (rounded where its contact with the side
          // begins and ends), dense hair reaching a little further than light strands; the backdrop as before.
          const side = x + 0.5 - r.x0 < r.x1 - (x + 0.5) ? 0 : 1;
          const inset = hairEnds[side * height + y]!;
          const e = side === 0 ? x + 0.5 - r.x0 : r.x1 - (x + 0.5);
          const stand = Math.abs(photoLuma[y * width + x]! - luma(iso[0]!, iso[1]!, iso[2]!));
          const hair = Math.min(1, stand / HAIR_CONTRAST);
          const gone = 1 - smoothstep((e - inset + (hair - 0.7) * HAIR_JITTER) / HAIR_SOFT + 0.5);
          share += (Math.max(plain, gone) - plain) * backdrop * hair;
        }
        if (share <= 0) continue;
        const n = rng() * (model ? grain + (model.grain - grain) * Math.min(1, cover) : grain);
        const o = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) rgba[o + c] = rgba[o + c]! * (1 - share) + (iso[c]! + n) * share;
        rgba[o + 3] = 255;
      }
    }
  }
  featherSideSeams(
    rgba,
    width,
    height,
    r,
    // Fully from the first rows that continue the side: the step is largest where that share is still partial.
    (y) => Math.min(1, 3 * smoothstep((y - hints.chinY) / Math.max(1, hints.fadeRows) + 0.5)),
    (side, y, d) => {
      const slopes = side === 'left' ? leftSlopes : rightSlopes;
      return slopes ? carriedShade(slopes[rowOf(y)]!, d) : 0;
    },
    (side) => ((side === 'left' ? leftShirt : rightShirt) ? SHIRT_FEATHER_PX : SEAM_FEATHER_PX),
  );
}
