// Paints the face itself on the template mesh: skin with soft shading, ears, nose, eyes, brows and lips.
// Every feature sits on the landmark lists the renderer animates, so warping moves exactly what is drawn.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { createRandom } from '../animation/random.js';
import { MESH_REGIONS } from '../face/mesh-regions.js';
import type { CharacterStyle } from './character-styles.js';
import { css, hex, mixRgb, shade } from './colour-math.js';
import { drawLips } from './draw-lips.js';
import type { FaceGeometry } from './face-geometry.js';
import { type Pt, smoothPath } from './smooth-path.js';

function radial(ctx: SKRSContext2D, c: Pt, r0: number, r1: number, stops: Array<[number, string]>) {
  const g = ctx.createRadialGradient(c[0], c[1], r0, c[0], c[1], r1);
  for (const [o, col] of stops) g.addColorStop(o, col);
  return g;
}

export function drawEars(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const skin = hex(style.skin);
  const y = (g.p(33)[1] + g.p(2)[1]) / 2 + 0.02 * g.F;
  for (const [side, i] of [
    [-1, 234],
    [1, 454],
  ] as const) {
    const x = g.p(i)[0] - side * 0.045 * g.W;
    ctx.save();
    ctx.beginPath();
    ctx.ellipse(x + side * 0.06 * g.W, y, 0.085 * g.W, 0.15 * g.F, side * 0.15, 0, Math.PI * 2);
    ctx.fillStyle = css(shade(skin, 0.93));
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(x + side * 0.07 * g.W, y + 0.01 * g.F, 0.045 * g.W, 0.095 * g.F, side * 0.15, 0, Math.PI * 2);
    ctx.fillStyle = css(shade(skin, 0.78), 0.55);
    ctx.fill();
    if (style.earrings) {
      ctx.beginPath();
      ctx.arc(x + side * 0.07 * g.W, y + 0.17 * g.F, 0.018 * g.F, 0, Math.PI * 2);
      ctx.fillStyle = style.earrings;
      ctx.fill();
      ctx.beginPath();
      ctx.arc(x + side * 0.065 * g.W, y + 0.165 * g.F, 0.006 * g.F, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(255,255,255,0.7)';
      ctx.fill();
    }
    ctx.restore();
  }
}

function faceOutline(ctx: SKRSContext2D, g: FaceGeometry): void {
  ctx.beginPath();
  smoothPath(ctx, g.pts(MESH_REGIONS.faceOval), true);
}

function drawSkin(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const skin = hex(style.skin);
  faceOutline(ctx, g);
  ctx.fillStyle = css(skin);
  ctx.fill();
  ctx.save();
  faceOutline(ctx, g);
  ctx.clip();
  const mid: Pt = [g.cx, g.p(168)[1] + 0.12 * g.F];
  // Edge falloff gives the face volume; the key light comes from the upper left.
  ctx.fillStyle = radial(ctx, mid, 0.32 * g.F, 0.7 * g.F, [
    [0, css(shade(skin, 0.8), 0)],
    [1, css(shade(skin, 0.72), 0.75)],
  ]);
  ctx.fillRect(mid[0] - g.F, mid[1] - g.F, 2 * g.F, 2 * g.F);
  const light: Pt = [g.cx - 0.18 * g.W, g.p(168)[1] - 0.05 * g.F];
  ctx.fillStyle = radial(ctx, light, 0, 0.45 * g.F, [
    [0, 'rgba(255,245,235,0.16)'],
    [1, 'rgba(255,245,235,0)'],
  ]);
  ctx.fillRect(light[0] - g.F, light[1] - g.F, 2 * g.F, 2 * g.F);
  // Blush on the cheeks.
  const lip = hex(style.lip);
  for (const i of [205, 425]) {
    const c = g.off(i, 0, -0.02);
    ctx.fillStyle = radial(ctx, c, 0, 0.13 * g.F, [
      [0, css(mixRgb(lip, [230, 90, 90], 0.3), style.blush)],
      [1, css(lip, 0)],
    ]);
    ctx.fillRect(c[0] - 0.2 * g.F, c[1] - 0.2 * g.F, 0.4 * g.F, 0.4 * g.F);
  }
  // Soft sockets above and around the eyes.
  for (const eye of [MESH_REGIONS.rightEyeUpper0, MESH_REGIONS.leftEyeUpper0]) {
    const c = g.centre(eye);
    ctx.fillStyle = radial(ctx, [c[0], c[1] - 0.015 * g.F], 0.02 * g.F, 0.11 * g.F, [
      [0, css(shade(skin, 0.75), 0.35)],
      [1, css(skin, 0)],
    ]);
    ctx.fillRect(c[0] - 0.2 * g.F, c[1] - 0.2 * g.F, 0.4 * g.F, 0.4 * g.F);
  }
  if (style.freckles) {
    const rnd = createRandom(style.seed);
    ctx.fillStyle = css(shade(skin, 0.72), 0.45);
    for (let n = 0; n < 46; n++) {
      const side = n % 2 === 0 ? 205 : 425;
      const c = g.off(side, (rnd() - 0.5) * 0.28, (rnd() - 0.7) * 0.16);
      ctx.beginPath();
      ctx.arc(c[0], c[1], (0.003 + rnd() * 0.004) * g.F, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  ctx.restore();
}

function drawNose(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const dark = shade(hex(style.skin), 0.62);
  ctx.save();
  ctx.lineCap = 'round';
  ctx.shadowColor = css(dark, 0.5);
  ctx.shadowBlur = 0.02 * g.F;
  // Shadow along the bridge on the side away from the light.
  ctx.strokeStyle = css(dark, 0.09);
  ctx.lineWidth = 0.03 * g.F;
  ctx.beginPath();
  smoothPath(ctx, [g.off(168, 0.05, 0.02), g.off(6, 0.06, 0.04), g.off(327, -0.02, -0.06)], false);
  ctx.stroke();
  // Underside of the tip and the wings.
  ctx.strokeStyle = css(dark, 0.42);
  ctx.lineWidth = 0.011 * g.F;
  ctx.beginPath();
  smoothPath(ctx, [g.off(98, -0.005, -0.035), g.p(98), g.off(97, 0, 0.004), g.off(2, 0, 0.002)], false);
  ctx.stroke();
  ctx.beginPath();
  smoothPath(ctx, [g.off(327, 0.005, -0.035), g.p(327), g.off(326, 0, 0.004), g.off(2, 0, 0.002)], false);
  ctx.stroke();
  ctx.shadowBlur = 0;
  // Nostrils.
  ctx.fillStyle = css(shade(dark, 0.7), 0.45);
  for (const [a, b] of [
    [98, 2],
    [327, 2],
  ] as const) {
    const pa = g.p(a);
    const pb = g.p(b);
    ctx.beginPath();
    ctx.ellipse(
      pa[0] * 0.55 + pb[0] * 0.45,
      pa[1] * 0.5 + pb[1] * 0.5 - 0.004 * g.F,
      0.022 * g.W,
      0.009 * g.F,
      0,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
  // Highlight on the tip.
  const tip = g.off(4, -0.01, -0.005);
  ctx.fillStyle = radial(ctx, tip, 0, 0.035 * g.F, [
    [0, 'rgba(255,250,245,0.35)'],
    [1, 'rgba(255,250,245,0)'],
  ]);
  ctx.fillRect(tip[0] - 0.05 * g.F, tip[1] - 0.05 * g.F, 0.1 * g.F, 0.1 * g.F);
  ctx.restore();
}

function eyeShape(g: FaceGeometry, side: 'left' | 'right'): Pt[] {
  const upper = g.pts(MESH_REGIONS[`${side}EyeUpper0`]);
  const lower = g.pts(MESH_REGIONS[`${side}EyeLower0`]).slice(1, -1).reverse();
  return [...upper, ...lower];
}

/** How far above the lid's second ring the crease is drawn, in that ring's heights over the lid line. */
const CREASE_LIFT = 0.4;

function drawEye(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle, side: 'left' | 'right'): void {
  const shape = eyeShape(g, side);
  const irisIdx = MESH_REGIONS[`${side}EyeIris`];
  const centre = g.p(irisIdx[0]!);
  const radius =
    g.pts(irisIdx.slice(1)).reduce((s, p) => s + Math.hypot(p[0] - centre[0], p[1] - centre[1]), 0) / 4;
  const iris = hex(style.iris);
  ctx.save();
  ctx.beginPath();
  smoothPath(ctx, shape, true, 0.4);
  ctx.fillStyle = '#f3efe9';
  ctx.fill();
  ctx.clip();
  ctx.fillStyle = radial(ctx, centre, radius * 0.3, radius, [
    [0, css(shade(iris, 1.25))],
    [0.75, css(iris)],
    [1, css(shade(iris, 0.55))],
  ]);
  ctx.beginPath();
  ctx.arc(centre[0], centre[1], radius, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#0d0a09';
  ctx.beginPath();
  ctx.arc(centre[0], centre[1], radius * 0.42, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.beginPath();
  ctx.arc(centre[0] - radius * 0.35, centre[1] - radius * 0.38, radius * 0.2, 0, Math.PI * 2);
  ctx.fill();
  // The upper lid casts a shadow onto the eyeball.
  const top = Math.min(...shape.map((p) => p[1]));
  const lid = ctx.createLinearGradient(0, top, 0, top + radius * 1.1);
  lid.addColorStop(0, 'rgba(40,25,20,0.45)');
  lid.addColorStop(1, 'rgba(40,25,20,0)');
  ctx.fillStyle = lid;
  ctx.fillRect(centre[0] - 3 * radius, top, 6 * radius, radius * 1.2);
  ctx.restore();

  const lash = css(shade(hex(style.brow), 0.8));
  ctx.save();
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = lash;
  ctx.lineWidth = (style.lashes ? 0.014 : 0.009) * g.F;
  ctx.beginPath();
  const upper = g.pts(MESH_REGIONS[`${side}EyeUpper0`]);
  smoothPath(ctx, upper, false);
  ctx.stroke();
  if (style.lashes) {
    // A small flick at the outer corner (first point of the list), short enough to end inside what the closing
    // lid covers: longer, its tip stayed on the skin as a dot when the eye shut.
    const [ox, oy] = upper[0]!;
    const dir = side === 'left' ? 1 : -1;
    const tip: Pt = [ox + dir * 0.02 * g.W, oy - 0.01 * g.F];
    ctx.beginPath();
    ctx.moveTo(upper[1]![0], upper[1]![1]);
    ctx.quadraticCurveTo(ox, oy, tip[0], tip[1]);
    ctx.stroke();
    // The wedge between the lid's line and the flick, filled: the flick dips through the corner and rises to its
    // tip, so alone its top edge left a notch of skin there and the line's end read as two prongs at sheet size
    // (ada's doubled lash line at the outer corner).
    ctx.fillStyle = lash;
    ctx.beginPath();
    // From the line's top edge to the top of the flick's round tip: no further out than the stroke reached.
    const half = ctx.lineWidth / 2;
    ctx.moveTo(upper[2]![0], upper[2]![1] - half);
    ctx.lineTo(tip[0], tip[1] - half);
    ctx.lineTo(tip[0], tip[1]);
    ctx.lineTo(ox, oy);
    ctx.closePath();
    ctx.fill();
  }
  ctx.strokeStyle = css(shade(hex(style.skin), 0.55), 0.35);
  ctx.lineWidth = 0.005 * g.F;
  ctx.beginPath();
  smoothPath(ctx, g.pts(MESH_REGIONS[`${side}EyeLower0`]), false);
  ctx.stroke();
  // Lid crease, 0.4 of the ring's height above the ring next to the lid line: on that ring (which the blink pulls
  // 35 % down) the closing lid stretched the line into a blurred band on the shut eye.
  ctx.strokeStyle = css(shade(hex(style.skin), 0.6), 0.3);
  ctx.lineWidth = 0.006 * g.F;
  ctx.beginPath();
  const ring = g.pts(MESH_REGIONS[`${side}EyeUpper1`]);
  const crease = ring.map(([x, y], i): Pt => {
    const [lx, ly] = upper[i]!;
    return [x + CREASE_LIFT * (x - lx), y + CREASE_LIFT * (y - ly)];
  });
  smoothPath(ctx, crease.slice(1, -1), false);
  ctx.stroke();
  ctx.restore();
}

function drawBrow(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle, side: 'left' | 'right'): void {
  const upper = g.pts(MESH_REGIONS[`${side}EyebrowUpper`]).slice(1, 6);
  const lower = g.pts(MESH_REGIONS[`${side}EyebrowLower`]).slice(1).reverse();
  ctx.save();
  ctx.beginPath();
  smoothPath(ctx, [...upper, ...lower], true, 0.35);
  ctx.fillStyle = css(hex(style.brow), 0.92);
  ctx.shadowColor = css(hex(style.brow), 0.6);
  ctx.shadowBlur = 0.008 * g.F;
  ctx.fill();
  ctx.restore();
}

export function drawFace(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  drawSkin(ctx, g, style);
  drawNose(ctx, g, style);
  drawEye(ctx, g, style, 'left');
  drawEye(ctx, g, style, 'right');
  drawBrow(ctx, g, style, 'left');
  drawBrow(ctx, g, style, 'right');
  drawLips(ctx, g, style);
}
