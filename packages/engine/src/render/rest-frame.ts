import sharp from 'sharp';
import { restFace } from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { createCpuRenderer } from './cpu-renderer.js';

// What an avatar looks like before it says anything: the rig's rest frame, drawn by the renderer. A photo taken
// with the lips apart rests with them closed (closed-pose.ts), so a card or still made from the photo as given
// would show a grin the video never shows; cards are made from this instead.

/** The rig's rest frame as PNG bytes (the rig's size). */
export async function renderRestFrame(rig: Rig): Promise<Uint8Array> {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  try {
    const frame = renderer.render(restFace, 0, 'rgba');
    const png = await sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), {
      raw: { width: frame.width, height: frame.height, channels: 4 },
    })
      .png()
      .toBuffer();
    return new Uint8Array(png);
  } finally {
    renderer.close();
  }
}
