// Draws a rig's mesh and named regions over its crop: the visual check that landmarks sit on the face.
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Rig } from './rig.js';

const REGION_COLOURS: Record<string, string> = {
  lipsUpperOuter: '#ff3355',
  lipsLowerOuter: '#ff3355',
  lipsUpperInner: '#ffcc00',
  lipsLowerInner: '#ffcc00',
  rightEyeUpper0: '#00e5ff',
  rightEyeLower0: '#0077ff',
  leftEyeUpper0: '#00e5ff',
  leftEyeLower0: '#0077ff',
  rightEyebrowUpper: '#a0ff40',
  leftEyebrowUpper: '#a0ff40',
  rightEyeIris: '#ff00ff',
  leftEyeIris: '#ff8800',
  faceOval: '#ffffff',
};

export async function drawMeshOverlay(rig: Rig): Promise<Uint8Array> {
  const canvas = createCanvas(rig.width, rig.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(await loadImage(Buffer.from(rig.image)), 0, 0);
  ctx.fillStyle = 'rgba(0,255,120,0.8)';
  for (let i = 0; i < rig.mesh.length; i += 2) ctx.fillRect(rig.mesh[i]! - 0.5, rig.mesh[i + 1]! - 0.5, 1, 1);
  ctx.lineWidth = 1;
  for (const [name, colour] of Object.entries(REGION_COLOURS)) {
    const idx = rig.regions[name];
    if (!idx) continue;
    ctx.strokeStyle = colour;
    ctx.beginPath();
    idx.forEach((p, n) => {
      const x = rig.mesh[2 * p]!;
      const y = rig.mesh[2 * p + 1]!;
      if (name.endsWith('Iris') && n === 0) return;
      if (n === 0 || (name.endsWith('Iris') && n === 1)) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    if (name === 'faceOval' || name.endsWith('Iris')) ctx.closePath();
    ctx.stroke();
  }
  ctx.strokeStyle = 'rgba(255,255,0,0.6)';
  ctx.strokeRect(rig.faceBox.x, rig.faceBox.y, rig.faceBox.width, rig.faceBox.height);
  // Colour swatches: skin, lip, cavity, teeth, eyelid.
  Object.values(rig.colors).forEach((c, n) => {
    ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    ctx.fillRect(4 + n * 22, 4, 20, 20);
  });
  return new Uint8Array(await canvas.encode('png'));
}
