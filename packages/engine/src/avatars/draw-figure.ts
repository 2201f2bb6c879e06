// Paints everything around the face: a studio-style backdrop, neck and clothed shoulders.
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { CharacterStyle } from './character-styles.js';
import { css, hex, shade } from './colour-math.js';
import type { FaceGeometry } from './face-geometry.js';

export function drawBackdrop(ctx: SKRSContext2D, width: number, height: number, style: CharacterStyle): void {
  const bg = ctx.createLinearGradient(0, 0, 0, height);
  bg.addColorStop(0, style.background.top);
  bg.addColorStop(1, style.background.bottom);
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, width, height);
  // A soft pool of light behind the head, like a backdrop lit from the front.
  const r = Math.max(width, height);
  const glow = ctx.createRadialGradient(width * 0.45, height * 0.35, 0, width * 0.45, height * 0.35, r * 0.6);
  glow.addColorStop(0, 'rgba(255,255,255,0.22)');
  glow.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = glow;
  ctx.fillRect(0, 0, width, height);
  const vignette = ctx.createRadialGradient(width / 2, height / 2, r * 0.35, width / 2, height / 2, r * 0.8);
  vignette.addColorStop(0, 'rgba(0,0,0,0)');
  vignette.addColorStop(1, 'rgba(0,0,0,0.28)');
  ctx.fillStyle = vignette;
  ctx.fillRect(0, 0, width, height);
}

export function drawNeck(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const skin = hex(style.skin);
  const chinY = g.p(152)[1];
  const top = g.p(152)[1] - 0.35 * g.F;
  const bottom = chinY + 0.95 * g.F;
  ctx.save();
  ctx.beginPath();
  ctx.moveTo(g.cx - 0.3 * g.W, top);
  ctx.bezierCurveTo(
    g.cx - 0.29 * g.W,
    chinY + 0.1 * g.F,
    g.cx - 0.33 * g.W,
    chinY + 0.25 * g.F,
    g.cx - 0.45 * g.W,
    bottom,
  );
  ctx.lineTo(g.cx + 0.45 * g.W, bottom);
  ctx.bezierCurveTo(
    g.cx + 0.33 * g.W,
    chinY + 0.25 * g.F,
    g.cx + 0.29 * g.W,
    chinY + 0.1 * g.F,
    g.cx + 0.3 * g.W,
    top,
  );
  ctx.closePath();
  const grad = ctx.createLinearGradient(g.cx - 0.3 * g.W, 0, g.cx + 0.3 * g.W, 0);
  grad.addColorStop(0, css(shade(skin, 0.8)));
  grad.addColorStop(0.45, css(shade(skin, 0.92)));
  grad.addColorStop(1, css(shade(skin, 0.74)));
  ctx.fillStyle = grad;
  ctx.fill();
  ctx.clip();
  // The jaw's shadow falls on the neck, fading downwards.
  const shadow = ctx.createLinearGradient(0, chinY - 0.12 * g.F, 0, chinY + 0.2 * g.F);
  shadow.addColorStop(0, css(shade(skin, 0.4), 0.6));
  shadow.addColorStop(1, css(shade(skin, 0.4), 0));
  ctx.fillStyle = shadow;
  ctx.fillRect(g.cx - g.W, chinY - 0.4 * g.F, 2 * g.W, 0.6 * g.F);
  ctx.restore();
}

export function drawClothes(
  ctx: SKRSContext2D,
  g: FaceGeometry,
  style: CharacterStyle,
  height: number,
): void {
  const cloth = hex(style.clothing.colour);
  const chinY = g.p(152)[1];
  const sy = chinY + 0.33 * g.F;
  const { cx, W, F } = g;
  const neckline = style.clothing.neckline;
  const dip = neckline === 'crew' ? 0.1 * F : 0.36 * F;
  ctx.save();
  ctx.beginPath();
  ctx.moveTo(cx - 0.38 * W, sy - 0.02 * F);
  ctx.bezierCurveTo(cx - 0.8 * W, sy + 0.02 * F, cx - 1.3 * W, sy + 0.08 * F, cx - 1.55 * W, sy + 0.32 * F);
  ctx.bezierCurveTo(cx - 1.75 * W, sy + 0.5 * F, cx - 1.85 * W, height, cx - 1.9 * W, height + 4);
  ctx.lineTo(cx + 1.9 * W, height + 4);
  ctx.bezierCurveTo(cx + 1.85 * W, height, cx + 1.75 * W, sy + 0.5 * F, cx + 1.55 * W, sy + 0.32 * F);
  ctx.bezierCurveTo(cx + 1.3 * W, sy + 0.08 * F, cx + 0.8 * W, sy + 0.02 * F, cx + 0.36 * W, sy - 0.02 * F);
  if (neckline === 'crew') ctx.quadraticCurveTo(cx, sy + 2 * dip, cx - 0.36 * W, sy - 0.02 * F);
  else ctx.lineTo(cx, sy + dip);
  ctx.closePath();
  const grad = ctx.createLinearGradient(0, sy, 0, sy + 1.2 * F);
  grad.addColorStop(0, css(shade(cloth, 1.08)));
  grad.addColorStop(1, css(shade(cloth, 0.72)));
  ctx.fillStyle = grad;
  ctx.fill();
  ctx.clip();
  // Shoulders catch light; the chest falls into shade at the sides.
  const side = ctx.createLinearGradient(cx - 1.9 * W, 0, cx + 1.9 * W, 0);
  side.addColorStop(0, 'rgba(0,0,0,0.28)');
  side.addColorStop(0.3, 'rgba(0,0,0,0)');
  side.addColorStop(0.7, 'rgba(0,0,0,0)');
  side.addColorStop(1, 'rgba(0,0,0,0.32)');
  ctx.fillStyle = side;
  ctx.fillRect(cx - 2 * W, sy - F, 4 * W, height + F);
  ctx.restore();

  // Neckline trim.
  ctx.save();
  ctx.strokeStyle = style.clothing.accent;
  ctx.lineWidth = 0.035 * F;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  if (neckline === 'crew') {
    ctx.moveTo(cx - 0.36 * W, sy - 0.02 * F);
    ctx.quadraticCurveTo(cx, sy + 2 * dip, cx + 0.36 * W, sy - 0.02 * F);
    ctx.stroke();
  } else if (neckline === 'v') {
    ctx.moveTo(cx - 0.36 * W, sy - 0.02 * F);
    ctx.lineTo(cx, sy + dip);
    ctx.lineTo(cx + 0.36 * W, sy - 0.02 * F);
    ctx.stroke();
  } else {
    // A shirt collar inside a V-neck sweater: the shirt fills the V, its collar wraps the neck.
    ctx.fillStyle = style.clothing.accent;
    ctx.beginPath();
    ctx.moveTo(cx - 0.37 * W, sy - 0.03 * F);
    ctx.lineTo(cx, sy + dip);
    ctx.lineTo(cx + 0.37 * W, sy - 0.03 * F);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = css(shade(cloth, 0.6));
    ctx.lineWidth = 0.03 * F;
    ctx.beginPath();
    ctx.moveTo(cx - 0.37 * W, sy - 0.01 * F);
    ctx.lineTo(cx, sy + dip);
    ctx.lineTo(cx + 0.37 * W, sy - 0.01 * F);
    ctx.stroke();
    for (const s of [-1, 1]) {
      ctx.beginPath();
      ctx.moveTo(cx + s * 0.3 * W, sy - 0.12 * F);
      ctx.lineTo(cx + s * 0.46 * W, sy + 0.08 * F);
      ctx.lineTo(cx + s * 0.04 * W, sy + 0.2 * F);
      ctx.lineTo(cx + s * 0.02 * W, sy + 0.02 * F);
      ctx.closePath();
      ctx.shadowColor = 'rgba(0,0,0,0.3)';
      ctx.shadowBlur = 0.02 * F;
      ctx.fill();
    }
  }
  ctx.restore();
}
