// Paints the illustrated lips. The upper lip is modelled, not flat: lit at its top (the vermilion border faces up)
// and darkening steadily down to where it rolls under onto the lower lip, as on a real closed mouth; a flat dark
// upper lip reads as an opening (the face-landmark model put the inner-lip point in its middle). Where they
// meet, a fine, faint line (about a pixel at 640×480, like the seam of a real closed mouth at that size), deeper at
// the corners. A wider shaded band read as a narrow opening: the landmark model put the upper inner lip at its top
// edge and the lower at its bottom (0.092 of the iris distance, median of 12 head poses, against 0.051 with the
// fine line and 0.043 with none; shading the lower lip's top edge raised it again, to 0.063–0.071).
import type { SKRSContext2D } from '@napi-rs/canvas';
import { MESH_REGIONS } from '../face/mesh-regions.js';
import type { CharacterStyle } from './character-styles.js';
import { css, hex, shade } from './colour-math.js';
import type { FaceGeometry } from './face-geometry.js';
import { smoothPath } from './smooth-path.js';

export function drawLips(ctx: SKRSContext2D, g: FaceGeometry, style: CharacterStyle): void {
  const lip = hex(style.lip);
  const upperInner = g.pts(MESH_REGIONS.lipsUpperInner);
  const upper = [...g.pts(MESH_REGIONS.lipsUpperOuter), ...[...upperInner].reverse()];
  const lower = [...g.pts(MESH_REGIONS.lipsLowerOuter), ...g.pts(MESH_REGIONS.lipsLowerInner).reverse()];
  ctx.save();
  const top = g.centre([0]);
  const meet = g.centre([13]);
  ctx.beginPath();
  smoothPath(ctx, upper, true, 0.3);
  const fill = ctx.createLinearGradient(top[0], top[1], meet[0], meet[1]);
  fill.addColorStop(0, css(shade(lip, 1.12)));
  fill.addColorStop(0.5, css(shade(lip, 1.0)));
  fill.addColorStop(0.85, css(shade(lip, 0.88)));
  fill.addColorStop(1, css(shade(lip, 0.76)));
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.beginPath();
  smoothPath(ctx, lower, true, 0.3);
  const lo = g.centre([14, 17]);
  ctx.fillStyle = radial(ctx, [lo[0] - 0.02 * g.W, lo[1] - 0.004 * g.F], 0.09 * g.F, [
    [0, css(shade(lip, 1.18))],
    [1, css(lip)],
  ]);
  ctx.fill();
  // The line where the lips meet: fine and faint, softened a little.
  const seamColour = shade(lip, 0.45);
  ctx.lineCap = 'round';
  ctx.shadowColor = css(seamColour, 0.5);
  ctx.strokeStyle = css(seamColour, 0.3);
  ctx.lineWidth = 0.004 * g.F;
  ctx.shadowBlur = 0.002 * g.F;
  ctx.beginPath();
  smoothPath(ctx, upperInner, false);
  ctx.stroke();
  // The corners fold into the cheeks: a little deeper there.
  ctx.fillStyle = css(seamColour, 0.25);
  ctx.shadowBlur = 0.01 * g.F;
  for (const p of [upperInner[0]!, upperInner[upperInner.length - 1]!]) {
    ctx.beginPath();
    ctx.ellipse(p[0], p[1], 0.012 * g.F, 0.006 * g.F, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

function radial(ctx: SKRSContext2D, c: [number, number], r1: number, stops: Array<[number, string]>) {
  const gr = ctx.createRadialGradient(c[0], c[1], 0, c[0], c[1], r1);
  for (const [o, col] of stops) gr.addColorStop(o, col);
  return gr;
}
