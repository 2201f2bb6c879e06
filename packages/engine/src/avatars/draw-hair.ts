// Paints hair in four styles. Each style has a back part (behind the head and body) and a front part (over
// the forehead), filled with shading and fine strands or curls so it reads as hair, not a flat blob.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { createRandom } from '../animation/random.js';
import type { CharacterStyle } from './character-styles.js';
import { css, hex, shade } from './colour-math.js';
import type { FaceGeometry } from './face-geometry.js';
import { type Pt, smoothPath } from './smooth-path.js';

/** Points on the skull outline (an ellipse around the head), from angle a0 to a1 in degrees. */
function skullArc(g: FaceGeometry, a0: number, a1: number, grow: number, steps = 9): Pt[] {
  const cy = g.p(10)[1] + 0.16 * g.F;
  const rx = 0.56 * g.W * grow;
  const ry = 0.46 * g.F * grow;
  const out: Pt[] = [];
  for (let k = 0; k <= steps; k++) {
    const a = ((a0 + ((a1 - a0) * k) / steps) * Math.PI) / 180;
    out.push([g.cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
  }
  return out;
}

/** The hairline over the forehead from the subject's left temple (image right) to the right temple. */
function hairline(g: FaceGeometry, drop: number, sweep: number): Pt[] {
  return [
    g.off(356, -0.02, -0.02),
    g.off(389, -0.03, 0),
    g.off(251, -0.03, 0.01),
    g.off(284, -0.02, 0.035 + drop * 0.5),
    g.off(332, 0, 0.05 + drop * 0.8),
    g.off(297, 0, 0.06 + drop),
    g.off(338, 0, 0.065 + drop + sweep * 0.3),
    g.off(10, 0, 0.065 + drop + sweep * 0.6),
    g.off(109, 0, 0.06 + drop + sweep),
    g.off(67, 0, 0.055 + drop + sweep),
    g.off(103, 0.02, 0.05 + drop * 0.8 + sweep * 0.6),
    g.off(54, 0.03, 0.03 + drop * 0.5),
    g.off(21, 0.03, 0.01),
    g.off(162, 0.03, 0),
    g.off(127, 0.02, -0.02),
  ];
}

/** Combed strands from near the parting to points along where the hair ends, bowed over the skull. */
function textureStrands(
  ctx: SKRSContext2D,
  g: FaceGeometry,
  style: CharacterStyle,
  part: Pt,
  ends: Pt[],
  n: number,
) {
  const rnd = createRandom(style.seed * 7 + n);
  const hi = hex(style.hair.highlight);
  const lo = shade(hex(style.hair.colour), 0.6);
  const head: Pt = [g.cx, g.p(10)[1] + 0.16 * g.F];
  ctx.lineCap = 'round';
  for (let k = 0; k < n; k++) {
    const t = rnd() * (ends.length - 1);
    const a = ends[Math.floor(t)]!;
    const b = ends[Math.min(ends.length - 1, Math.floor(t) + 1)]!;
    const f = t - Math.floor(t);
    const end: Pt = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    const u = t / (ends.length - 1) - 0.5;
    const sx = part[0] + u * 0.9 * g.W + (rnd() - 0.5) * 0.04 * g.W;
    // Start on the crown: lower towards the sides, following the skull's curve.
    const across = (sx - g.cx) / (0.6 * g.W);
    const start: Pt = [sx, part[1] + across * across * 0.2 * g.F + rnd() * 0.03 * g.F];
    const mid: Pt = [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2];
    // Bow the strand outwards, away from the head centre, so it follows the skull.
    const dx = mid[0] - head[0];
    const dy = mid[1] - head[1];
    const d = Math.hypot(dx, dy) || 1;
    const bow = (0.08 + rnd() * 0.06) * g.F;
    const ctrl: Pt = [mid[0] + (dx / d) * bow, mid[1] + (dy / d) * bow];
    ctx.strokeStyle = css(rnd() < 0.5 ? hi : lo, 0.1 + rnd() * 0.16);
    ctx.lineWidth = (0.003 + rnd() * 0.005) * g.F;
    ctx.beginPath();
    ctx.moveTo(start[0], start[1]);
    ctx.quadraticCurveTo(ctrl[0], ctrl[1], end[0], end[1]);
    ctx.stroke();
  }
}

function textureCurls(
  ctx: SKRSContext2D,
  g: FaceGeometry,
  style: CharacterStyle,
  centre: Pt,
  radius: number,
) {
  const rnd = createRandom(style.seed * 13);
  const hi = hex(style.hair.highlight);
  const lo = shade(hex(style.hair.colour), 0.5);
  for (let k = 0; k < 900; k++) {
    const a = rnd() * Math.PI * 2;
    const d = Math.sqrt(rnd()) * radius;
    const x = centre[0] + Math.cos(a) * d;
    const y = centre[1] + Math.sin(a) * d * 1.05;
    const r = (0.012 + rnd() * 0.02) * g.F;
    const start = rnd() * Math.PI * 2;
    // Light from the upper left: curls there catch more highlight.
    const lit = (centre[0] - x) / radius + (centre[1] - y) / radius;
    ctx.strokeStyle = css(rnd() < 0.45 + lit * 0.2 ? hi : lo, 0.25 + rnd() * 0.3);
    ctx.lineWidth = (0.004 + rnd() * 0.004) * g.F;
    ctx.beginPath();
    ctx.arc(x, y, r, start, start + Math.PI * (0.9 + rnd()));
    ctx.stroke();
  }
}

function fillShaded(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const base = hex(style.hair.colour);
  const top: Pt = [g.cx - 0.2 * g.W, g.p(10)[1] - 0.2 * g.F];
  const grad = ctx.createRadialGradient(top[0], top[1], 0, top[0], top[1], 1.6 * g.F);
  grad.addColorStop(0, css(shade(base, 1.12)));
  grad.addColorStop(0.5, css(base));
  grad.addColorStop(1, css(shade(base, 0.7)));
  ctx.fillStyle = grad;
  ctx.fill();
}

export function drawHairBack(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const chinY = g.p(152)[1];
  ctx.save();
  if (style.hair.style === 'curls') {
    const c: Pt = [g.cx, g.p(10)[1] + 0.08 * g.F];
    const r = 0.98 * g.W;
    ctx.beginPath();
    const rnd = createRandom(style.seed);
    const bumps: Pt[] = [];
    for (let k = 0; k < 28; k++) {
      const a = (k / 28) * Math.PI * 2;
      const rr = r * (0.96 + rnd() * 0.08);
      bumps.push([c[0] + Math.cos(a) * rr, c[1] + Math.sin(a) * rr * 0.92]);
    }
    smoothPath(ctx, bumps, true);
    fillShaded(ctx, g, style);
    ctx.clip();
    textureCurls(ctx, g, style, c, r);
  } else if (style.hair.style === 'long') {
    const crown = skullArc(g, 180, 360, 1.12);
    const left: Pt[] = [
      [g.cx + 0.72 * g.W, chinY - 0.1 * g.F],
      [g.cx + 0.8 * g.W, chinY + 0.45 * g.F],
      [g.cx + 0.72 * g.W, chinY + 0.95 * g.F],
    ];
    const right: Pt[] = [
      [g.cx - 0.72 * g.W, chinY + 0.95 * g.F],
      [g.cx - 0.8 * g.W, chinY + 0.45 * g.F],
      [g.cx - 0.72 * g.W, chinY - 0.1 * g.F],
    ];
    ctx.beginPath();
    smoothPath(ctx, [...crown, ...left, [g.cx, chinY + 0.7 * g.F], ...right], true);
    fillShaded(ctx, g, style);
    ctx.clip();
    ctx.fillStyle = css(shade(hex(style.hair.colour), 0.55), 0.6);
    ctx.fillRect(g.cx - 0.5 * g.W, g.p(10)[1], g.W, 2 * g.F);
    const ends: Pt[] = [...left, ...right];
    textureStrands(ctx, g, style, [g.cx + 0.12 * g.W, g.p(10)[1] - 0.3 * g.F], ends, 220);
  }
  ctx.restore();
}

/** The front hair as [outline, lower edge where strands end]. */
function frontShape(g: FaceGeometry, style: CharacterStyle): [Pt[], Pt[]] {
  switch (style.hair.style) {
    case 'short': {
      const line = hairline(g, 0, 0.04);
      return [[...line, ...skullArc(g, 188, 352, 1.07)], line];
    }
    case 'fringe': {
      const browY = Math.min(g.p(105)[1], g.p(334)[1]);
      const fringeY = g.p(10)[1] + 0.62 * (browY - g.p(10)[1]);
      const locks: Pt[] = [];
      const x0 = g.p(356)[0] - 0.02 * g.W;
      const x1 = g.p(127)[0] + 0.02 * g.W;
      for (let k = 0; k <= 12; k++) {
        const x = x0 + ((x1 - x0) * k) / 12;
        const edge = Math.abs(k - 6) / 6;
        locks.push([x, fringeY + (k % 2 === 0 ? 0.02 : -0.015) * g.F + edge * edge * 0.05 * g.F]);
      }
      const edge = [g.off(356, 0.0, 0.1), ...locks, g.off(127, 0.0, 0.1)];
      return [
        [g.off(356, 0.03, 0.12), ...edge, g.off(127, -0.03, 0.12), ...skullArc(g, 186, 354, 1.08)],
        edge,
      ];
    }
    case 'long': {
      const line = hairline(g, -0.01, 0.06);
      return [[...line, ...skullArc(g, 185, 355, 1.1)], line];
    }
    case 'curls': {
      const line = hairline(g, -0.015, 0);
      return [[...line, ...skullArc(g, 188, 352, 1.1)], line];
    }
  }
}

/** Curtains of long hair falling past the cheeks onto the shoulders, drawn in front of the body. */
function drawCurtains(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const chinY = g.p(152)[1];
  for (const s of [-1, 1] as const) {
    const [temple, cheek, jaw] = s < 0 ? [127, 234, 172] : [356, 454, 397];
    const inner: Pt[] = [
      g.off(temple, -s * 0.0, -0.02),
      g.off(cheek, -s * 0.01, 0.02),
      g.off(jaw, s * 0.06, 0.06),
    ];
    const tail: Pt = [g.cx + s * 0.95 * g.W, chinY + 0.75 * g.F];
    const outer: Pt[] = [
      [g.cx + s * 1.02 * g.W, chinY + 0.25 * g.F],
      [g.cx + s * 0.8 * g.W, g.p(cheek)[1] - 0.1 * g.F],
      [g.cx + s * 0.62 * g.W, g.p(10)[1] - 0.12 * g.F],
    ];
    ctx.save();
    ctx.beginPath();
    smoothPath(
      ctx,
      [g.off(10, s * 0.08, -0.1), ...inner, [g.cx + s * 0.7 * g.W, chinY + 0.45 * g.F], tail, ...outer],
      true,
    );
    fillShaded(ctx, g, style);
    ctx.clip();
    textureStrands(ctx, g, style, [g.cx + s * 0.1 * g.W, g.p(10)[1] - 0.15 * g.F], [...inner, tail], 110);
    ctx.restore();
  }
}

export function drawHairFront(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  ctx.save();
  const [outline, edge] = frontShape(g, style);
  ctx.beginPath();
  smoothPath(ctx, outline, true, 0.4);
  ctx.shadowColor = 'rgba(0,0,0,0.35)';
  ctx.shadowBlur = 0.03 * g.F;
  ctx.shadowOffsetY = 0.01 * g.F;
  fillShaded(ctx, g, style);
  ctx.shadowColor = 'rgba(0,0,0,0)';
  ctx.clip();
  if (style.hair.style === 'curls') textureCurls(ctx, g, style, [g.cx, g.p(10)[1] + 0.05 * g.F], 0.9 * g.W);
  else textureStrands(ctx, g, style, [g.cx + 0.15 * g.W, g.p(10)[1] - 0.32 * g.F], edge, 180);
  ctx.restore();
  if (style.hair.style === 'long') drawCurtains(ctx, g, style);
}
