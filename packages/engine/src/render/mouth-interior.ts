import type { RigColors } from '../face/rig.js';
import { liftCornerShadows } from './corner-shadow.js';
import { blendPixel, hypot1, type LensMask, smoothCurveY } from './lens-fill.js';
import { THIN_GAP_PX, THIN_RAMP_PX, toneLipRim } from './lip-rim.js';
import { pressPursedSeam } from './pursed-seam.js';
import type { Rect } from './warp-raster.js';

// The inside of an open mouth, painted as one masked layer over the opening between the warped inner lips (the
// lips stay on top): a wet inner-lip band along both lips, upper teeth hanging from the upper jaw, a warm cavity
// that darkens towards the throat and the cheeks, and, as the jaw drops, the tongue and the lower teeth rising
// from behind the lower lip. Edges are anti-aliased by the distance to the lip curve (not the vertical
// distance), so the steep ends of the opening are as smooth as its middle. A learned mouth could replace this
// layer: it gets the same contours and mask and writes only inside them.

export interface MouthInteriorStyle {
  colors: RigColors;
  /** Upper-teeth height at the middle in pixels (the photo's own when it shows teeth). */
  teethHeight: number;
  /** Mouth width at rest in pixels: sizes the tongue, lower teeth and tooth spacing. */
  mouthWidth: number;
  /**
   * For a photo that shows its own upper teeth: the photo and its inner lips as photographed. The upper teeth
   * hang from the upper jaw, which moves only with the head, so they are looked up in the photo at the frame's
   * position less the head's shift.
   */
  photo?: { pixels: Int32Array; width: number; restUpper: Float32Array; restLower: Float32Array };
}

export interface MouthInteriorFrame {
  /** 0..1: fades the layer in over the first fraction of the jaw's opening. */
  opacity: number;
  /** 0..1: how far the lower lip is tucked under the upper teeth ("f", "v"); the teeth are drawn over it. */
  tuck: number;
  /** 0..1: lip rounding; protruding lips shade the teeth and the cavity behind them. */
  round: number;
  /** The head's displacement at the mouth (px), to find the photo's teeth. */
  shiftX: number;
  shiftY: number;
}

// The inner-lip landmarks of an open mouth make a trapezoid, not an arc: the lower lip's middle drops as a block
// and its corners follow at a different slope, so even a spline through them turns sharply twice (victor's "ah"
// showed two corners on its lower edge). Two 1-2-1 passes over the y of the inner points (ends held) round the
// outline; the interior and the rim toning are drawn along it, over the warped lips' own edge.
const SMOOTH_UPPER = new Float32Array(64);
const SMOOTH_LOWER = new Float32Array(64);
const SMOOTH_TMP = new Float32Array(64);

/** The contour with its y smoothed (1-2-1, twice; corners kept), in `out` (module scratch, one frame at a time). */
export function roundContour(pts: Float32Array, count: number, out: Float32Array): Float32Array {
  if (count * 2 > out.length || count < 3) return pts;
  const view = out.subarray(0, count * 2);
  view.set(pts.subarray(0, count * 2));
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count; i++) SMOOTH_TMP[i] = view[i * 2 + 1]!;
    for (let i = 1; i + 1 < count; i++)
      view[i * 2 + 1] = (SMOOTH_TMP[i - 1]! + 2 * SMOOTH_TMP[i]! + SMOOTH_TMP[i + 1]!) / 4;
  }
  return view;
}

const clamp01 = (v: number) => (v <= 0 ? 0 : Math.min(v, 1));

/** How much darker drawn teeth are in an opening under a third of their height (none past 1.2 of it). */
const NARROW_SHADE = 0.24;
/** Share of the upper teeth's height that fully rounded (protruding) lips hide. */
const ROUND_TEETH_HIDDEN = 0.75;

/**
 * Upper teeth from the middle outwards, in units of the mouth-width-based tooth width: central and lateral
 * incisors, canine, premolars, and how dark the gap on their outer side is. Their shade towards the row's ends
 * is `corners`'s (warmer, only a little darker).
 */
const TEETH = [
  { w: 1.1, seam: 0.1 },
  { w: 0.85, seam: 0.09 },
  { w: 0.9, seam: 0.08 },
  { w: 0.8, seam: 0.07 },
  { w: 0.8, seam: 0.06 },
] as const;

interface ToothSpot {
  /** Position across the tooth, 0 at its middle-side gap, 1 at its outer one. */
  f: number;
  /** Its width in pixels. */
  w: number;
  seam: number;
}

/** Which drawn tooth column `dx` (px from the middle) falls on, into `out`. */
function toothAt(dx: number, toothW: number, out: ToothSpot): void {
  let x = dx;
  for (let i = 0; i < TEETH.length; i++) {
    const t = TEETH[i]!;
    const w = t.w * toothW;
    if (x < w || i === TEETH.length - 1) {
      out.f = Math.min(1, x / w);
      out.w = w;
      out.seam = t.seam;
      return;
    }
    x -= w;
  }
}

export function drawMouthInterior(
  frame: Int32Array,
  w: number,
  h: number,
  meshUpper: Float32Array,
  meshLower: Float32Array,
  count: number,
  style: MouthInteriorStyle,
  state: MouthInteriorFrame,
  mask?: LensMask,
): Rect {
  const upper = roundContour(meshUpper, count, SMOOTH_UPPER);
  const lower = roundContour(meshLower, count, SMOOTH_LOWER);
  const [tr, tg, tb] = style.colors.teeth;
  const [lr, lg, lb] = style.colors.lip;
  // The cavity: near-black with the lip's warmth (a mouth is deep red-brown inside, not grey and not red).
  const cr = style.colors.cavity[0] * 0.55 + lr * 0.06;
  const cg = style.colors.cavity[1] * 0.55 + lg * 0.035;
  const cb = style.colors.cavity[2] * 0.55 + lb * 0.035;
  // The wet inside of the lips: the lip's colour in shadow, from nearly the lip's own tone at the edge to the
  // mouth's shade a few pixels in, so the edge is a gradient from lip to cavity rather than an outline. Shadow
  // darkens every channel alike and greys a little; darkening green and blue more than red made the band a
  // redder line than the lip itself, a painted rim round the opening.
  const lipL = 0.299 * lr + 0.587 * lg + 0.114 * lb;
  const lipToTeeth = (0.299 * tr + 0.587 * tg + 0.114 * tb) / Math.max(1, lipL);
  const [sr, sg, sb] = [lr, lg, lb].map((c) => c * 0.8 + lipL * 0.2) as [number, number, number];
  const ir = sr * 0.36;
  const ig = sg * 0.36;
  const ib = sb * 0.36;
  const er = sr * 0.26;
  const eg = sg * 0.26;
  const eb = sb * 0.26;
  // The tongue: a muted pink in the mouth's shade, half-way to grey (in shadow, low contrast against the cavity).
  const tl = (lr * 0.3 + lg * 0.59 + lb * 0.11) * 0.42;
  const tnr = lr * 0.42 * 0.6 + tl * 0.4;
  const tng = lg * 0.3 * 0.6 + tl * 0.4;
  const tnb = lb * 0.31 * 0.6 + tl * 0.4;
  const leftX = upper[0]!;
  const rightX = upper[(count - 1) * 2]!;
  const mid = (leftX + rightX) / 2;
  const half = Math.max(1, Math.abs(rightX - leftX) / 2);
  const mw = style.mouthWidth;
  const toothW = mw * 0.12;
  const tooth: ToothSpot = { f: 0, w: 1, seam: 0 };
  const photo = style.photo;
  const { opacity, tuck } = state;
  const teethShade = 1 - 0.15 * state.round;
  // Teeth over the tucked lower lip reach this far below its edge.
  const tuckReach = tuck * Math.min(3, style.teethHeight * 0.4);

  // First the lips' inner edges (the photo's lip line riding on them), so the layer blends over the toned edge.
  const toned = union(
    toneLipRim(frame, w, h, upper, lower, count, style.colors.lip, opacity, mask, state.round),
    liftCornerShadows(frame, w, h, upper, lower, count, style.colors.lip, style.mouthWidth, opacity, mask),
  );
  const rim = union(toned, pressPursedSeam(frame, w, h, upper, lower, count, state.round, opacity, mask));
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, upper[i * 2]!, lower[i * 2]!);
    maxX = Math.max(maxX, upper[i * 2]!, lower[i * 2]!);
    minY = Math.min(minY, upper[i * 2 + 1]!, lower[i * 2 + 1]!);
    maxY = Math.max(maxY, upper[i * 2 + 1]!, lower[i * 2 + 1]!);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(w, Math.ceil(maxX));
  for (let x = x0; x < x1; x++) {
    const xc = x + 0.5;
    const yTop = smoothCurveY(upper, count, xc);
    const yBottom = smoothCurveY(lower, count, xc);
    const gap = yBottom - yTop;
    if (gap <= 0.02 && tuckReach <= 0) continue;
    // Distances to a sloped lip edge are shorter than the vertical ones by cos(slope).
    const cosTop = 1 / hypot1(smoothCurveY(upper, count, xc + 0.5) - smoothCurveY(upper, count, xc - 0.5));
    const cosBottom = 1 / hypot1(smoothCurveY(lower, count, xc + 0.5) - smoothCurveY(lower, count, xc - 0.5));
    const u = Math.max(-1, Math.min(1, (xc - mid) / half));
    const uu = u * u;
    const g = Math.max(gap, 0);
    // Upper teeth: follow the upper lip and recede (shorter) towards the corners.
    const teethH = style.teethHeight * Math.sqrt(Math.max(0, 1 - uu * 0.85));
    // The row's ends turn into the inner lips' shade (teethEnds: 1 → 0 over |u| 0.8–0.96) and only then fade:
    // faded out over the dark cavity they left a grey sliver at each end (ada's "oo").
    const teethEnds = clamp01((0.96 - Math.abs(u)) / 0.2);
    const teethTips = clamp01((1 - Math.abs(u)) / 0.06);
    // How open the mouth is here, relative to its width: the tongue and lower teeth come into view with it.
    const open = clamp01((g / mw - 0.1) / 0.2);
    // The tongue lies low, mostly behind the lower lip and teeth; its top is a soft ramp, not an outline.
    const tongueTop = yBottom - g * (0.18 + 0.17 * open) * Math.sqrt(Math.max(0, 1 - uu * 1.6));
    const tongueSoft = Math.max(1.5, g * 0.18);
    const lowTeethH = Math.min(style.teethHeight * 0.25, g * 0.12) * Math.sqrt(Math.max(0, 1 - uu * 3));
    // Barely parted lips keep the teeth in their shadow (a tucked lower lip shows them lit, "f"): the drawn faces'
    // whiter teeth, lit in a thin opening, read as lips apart on one more of the audio path's m/b/p frames.
    const teethLight = Math.max(
      clamp01(2 * tuck),
      1 - NARROW_SHADE * (1 - clamp01((g / Math.max(1, teethH) - 0.3) / 0.9)),
    );
    const band = Math.max(1.2, Math.min(5, g * 0.25));
    // Rounded lips a pixel or less apart show the photo's own seam, not a drawn line: pursed lips held shut at
    // their corners ("oo") drew the opening's dark edge and teeth out to the corners as a wire beside the oval.
    // (Only as far as the lips are rounded: an open vowel's corners keep their taper.)
    const thin = tuckReach > 0 ? 1 : 1 - state.round * (1 - clamp01((g - THIN_GAP_PX) / THIN_RAMP_PX));
    // Towards the corners the opening is mostly the lips' wet inner side.
    const cornerLip = clamp01((Math.abs(u) - 0.62) / 0.38);
    const lowK = Math.abs(xc - mid) / (toothW * 0.8);
    const lowF = lowK - Math.floor(lowK);
    const lowToothShade = 0.5 * (1 - 0.22 * Math.max(0, 1 - Math.min(lowF, 1 - lowF) * 6));
    let photoTop = 0;
    let photoBottom = 0;
    let sx = 0;
    if (photo) {
      sx = xc - state.shiftX;
      photoTop = smoothCurveY(photo.restUpper, count, sx);
      photoBottom = smoothCurveY(photo.restLower, count, sx);
    }
    // Protruding lips hide the front of the teeth: less of them shows on a rounded vowel.
    let teethBottom =
      (photo ? photoTop + state.shiftY + teethH : yTop + teethH) - state.round * ROUND_TEETH_HIDDEN * teethH;
    toothAt(Math.abs(xc - mid), toothW, tooth);
    // What rounded lips leave of the teeth under the upper lip: a sliver under 2 px read as a thin grey arc
    // along the top of the pursed opening ("oo"), so the inner lip's shade takes its rows (made dark, the
    // opening's ends rose and the drawn faces' "oo" read as an upturned wedge); 4 px or more stay.
    const sliver = 1 - state.round * (1 - clamp01((teethBottom - yTop - 2) / 2));
    // Drawn teeth: the biting edge curves up into each gap (a row of separate teeth, not one bar).
    if (!photo || photoBottom - photoTop < 1)
      teethBottom -= teethH * 0.06 * (1 - Math.sin(Math.PI * tooth.f)) ** 3;
    // The rows the edges' ramps reach: on a steep edge (the opening's ends) a pixel's distance to the lip is a
    // fraction of its vertical distance, so the ramps run further down and up the column; cutting them at a fixed
    // row left each column's ramp ending in a step.
    const r0 = Math.max(0, Math.floor(yTop - 0.5 / cosTop));
    const r1 = Math.min(h, Math.ceil(yBottom + 1.5 / cosBottom + tuckReach));
    for (let y = r0; y < r1; y++) {
      const yc = y + 0.5;
      const dTop = (yc - yTop) * cosTop;
      const dBottom = (yBottom - yc) * cosBottom;
      const coverTop = clamp01(dTop + 0.5);
      if (coverTop <= 0.002) continue;
      // Feathered a pixel past the lower lip's inner edge: its inner side darkens into the mouth, and the
      // photo's lip line, dragged down with the lower lip, does not show as a jagged fringe under the opening.
      const coverBottom = clamp01((dBottom + 1.5) / 2);
      const d = yc - yTop;
      // Upper teeth coverage at this pixel (soft lower edge): they end where the photo's teeth end, or a
      // tooth's height below the upper lip.
      // They recede into the dark at the corners instead of ending in a cut edge there.
      const teethRows = clamp01(teethBottom - yc + 0.5) * teethTips;
      let ta = teethRows * sliver;
      const belowLip = dBottom < 0;
      if (coverBottom <= 0.002 && (ta <= 0 || tuckReach <= 0)) continue;
      const o = y * w + x;
      if (mask) {
        if (mask.fresh[o] !== mask.stamp) continue;
        mask.drawn[o] = mask.stamp;
      }
      // Cavity: darkest in the throat under the teeth (their shadow, soft over a few pixels) and in the
      // corners, a little light on the floor.
      const t = g > 0 ? clamp01(d / g) : 1;
      const underTeeth = 0.5 + 0.5 * clamp01((yc - teethBottom) / Math.max(2, g * 0.3));
      const depth =
        (0.8 + 0.35 * Math.max(0, t - 0.45) * (1 - uu)) *
        underTeeth *
        (1 - 0.45 * uu) *
        (1 - 0.25 * state.round);
      let r = cr * depth;
      let gg = cg * depth;
      let b = cb * depth;
      if (open > 0) {
        // Tongue: a rounded mound behind the lower teeth, lit along its top.
        const tz = clamp01((yc - tongueTop) / tongueSoft);
        const ton = open * 0.9 * tz * (2 - tz);
        if (ton > 0) {
          const lit = (0.85 + 0.15 * clamp01(1 - (yc - tongueTop) / (2 * tongueSoft))) * (1 - 0.35 * uu);
          r += (tnr * lit - r) * ton;
          gg += (tng * lit - gg) * ton;
          b += (tnb * lit - b) * ton;
        }
        // Lower teeth: only their tops, just inside the lower lip, in its shadow and only near the middle.
        const lta = lowTeethH > 0.8 ? open * 0.7 * clamp01((yc - (yBottom - lowTeethH)) / 1.5) : 0;
        if (lta > 0) {
          r += (tr * lowToothShade - r) * lta;
          gg += (tg * lowToothShade - gg) * lta;
          b += (tb * lowToothShade - b) * lta;
        }
      }
      // The inner lips: a wet band along each lip, blending into the cavity (this is the soft edge).
      const lipTop = 1 - clamp01(dTop / band);
      const lipSide = 1 - clamp01(dBottom / (band + 3 * tuck));
      // A tucked lower lip curls up behind the teeth: its wet side fills what would be a dark line under them.
      const lipBottom = lipSide * lipSide * (3 - 2 * lipSide);
      // Above the photo's teeth (the upper lip lifted past where the photo shows them) is the lip's inner side.
      const aboveTeeth = photo ? clamp01(photoTop + state.shiftY - yc + 0.5) : 0;
      const lipA = Math.max(
        lipTop * lipTop * 0.75,
        lipBottom * (0.8 + 0.1 * tuck),
        cornerLip * 0.6,
        aboveTeeth * 0.9,
        teethRows * (1 - sliver),
      );
      if (lipA > 0) {
        const edge = Math.max(lipTop, lipSide);
        const e2 = edge * (2 - edge);
        r += (ir + er * e2 - r) * lipA;
        gg += (ig + eg * e2 - gg) * lipA;
        b += (ib + eb * e2 - b) * lipA;
      }
      if (ta > 0) {
        // Upper teeth in front of all that: shaded under the upper lip, darker towards the corners.
        const lipShadow = 0.8 + 0.2 * Math.min(1, d / Math.max(1.5, teethH * 0.35));
        // Towards the corners the teeth turn away into the cheeks' shade: a little darker and warmer (the lips'
        // light on them), not greyer; darkening alone (to 0.56 at the ends) made the row's ends grey.
        const corners = 1.05 - 0.3 * uu;
        // The lip's hue at the teeth's luma: mixing in the lip itself darkened the ends as much as it warmed them.
        const warm = 0.5 * uu * lipToTeeth;
        let tR = (tr * (1 - 0.5 * uu) + lr * warm) * 0.92;
        let tG = (tg * (1 - 0.5 * uu) + lg * warm) * 0.92;
        let tB = (tb * (1 - 0.5 * uu) + lb * warm) * 0.92;
        let shade = lipShadow * corners * teethShade * teethLight;
        let fromPhoto = 0;
        if (photo) {
          const sy = yc - state.shiftY;
          const room = photoBottom - 1 - sy;
          if (sy >= photoTop && room > 0 && sx >= 0 && sx < photo.width - 1) {
            const p = photo.pixels[Math.floor(sy) * photo.width + Math.floor(sx)]!;
            tR = p & 255;
            tG = (p >>> 8) & 255;
            tB = (p >>> 16) & 255;
            fromPhoto = Math.min(1, room / 2);
            shade = (0.9 + 0.1 * lipShadow) * teethShade;
          }
          // Past the teeth the photo shows (towards the corners) the mouth is dark, as in the photo itself.
          ta *= fromPhoto;
        }
        if (fromPhoto < 1) {
          // Each tooth a little rounded across; the gaps between them a soft shadow that deepens towards the
          // biting edge (near the gum the teeth touch). Even, dark seams from top to bottom drew a grid of keys.
          const rounded = 0.95 + 0.05 * Math.sin(Math.PI * tooth.f);
          const down = clamp01((yc - yTop) / Math.max(1, teethH));
          const gap = Math.max(0, 1 - Math.min(tooth.f * tooth.w, (1 - tooth.f) * tooth.w) * 1.4);
          const seam = 1 - tooth.seam * gap * (0.35 + 0.65 * down);
          shade *= fromPhoto + (1 - fromPhoto) * rounded * seam;
        }
        // Over a tucked lower lip the teeth keep a little of the lip's shadow.
        if (belowLip) ta *= tuck * (1 - 0.25 * clamp01(-dBottom));
        const toLip = 1 - teethEnds;
        r += (tR * shade * teethEnds + (ir + er * 0.5) * toLip - r) * ta;
        gg += (tG * shade * teethEnds + (ig + eg * 0.5) * toLip - gg) * ta;
        b += (tB * shade * teethEnds + (ib + eb * 0.5) * toLip - b) * ta;
      }
      const cover = belowLip ? Math.max(coverBottom, ta) : coverBottom;
      // The layer itself fades in from the lips (their warped inner side shows through at the edge), so the
      // outline is a gradient from what is there, not a painted rim.
      const sb = clamp01(dBottom / band);
      const st = clamp01(dTop / band);
      const edgeA = 0.55 + 0.45 * Math.min(sb * (2 - sb), st * (2 - st));
      blendPixel(frame, o, r, gg, b, coverTop * cover * opacity * thin * Math.max(edgeA, ta));
    }
  }
  const y0 = Math.max(0, Math.floor(minY) - 1);
  const y1 = Math.min(h, Math.ceil(maxY + tuckReach) + 1);
  if (!rim) return { x0, y0, x1, y1 };
  return {
    x0: Math.min(x0, rim.x0),
    y0: Math.min(y0, rim.y0),
    x1: Math.max(x1, rim.x1),
    y1: Math.max(y1, rim.y1),
  };
}

function union(a: Rect | null, b: Rect | null): Rect | null {
  if (!a || !b) return a ?? b;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}
