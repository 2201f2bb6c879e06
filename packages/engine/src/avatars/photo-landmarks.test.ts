import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFace } from '../face/ingest-face.js';
import { PUBLIC_AVATARS } from './catalog.js';
import { bundledPhotoAnalysis, PHOTO_ASSETS } from './photo-landmarks.js';

// The committed landmarks stand in for the model at start-up; if the photo, the model or the detector's settings
// change, they must be regenerated (scripts/make-photo-landmarks.ts) or this fails.
describe('committed landmarks of the bundled photos', () => {
  for (const avatar of PUBLIC_AVATARS.filter((a) => a.kind === 'photo')) {
    it(`match a fresh detection on ${avatar.slug}.jpg`, async () => {
      const committed = await bundledPhotoAnalysis(avatar.slug);
      const fresh = await analyzeFace(
        new Uint8Array(await readFile(join(PHOTO_ASSETS, `${avatar.slug}.jpg`))),
      );
      expect(committed.image.width).toBe(fresh.image.width);
      expect(committed.image.height).toBe(fresh.image.height);
      expect(Buffer.compare(committed.image.data, fresh.image.data)).toBe(0);
      // Tolerance: 0.5 % of the face's height per point (about 1 px here), far under what moves a mouth.
      const faceHeight = Math.hypot(
        fresh.mesh[152]![0] - fresh.mesh[10]![0],
        fresh.mesh[152]![1] - fresh.mesh[10]![1],
      );
      let worst = 0;
      for (const [i, [x, y]] of fresh.mesh.entries()) {
        const [cx, cy] = committed.mesh[i]!;
        worst = Math.max(worst, Math.hypot(cx - x, cy - y));
      }
      expect(worst).toBeLessThanOrEqual(0.005 * faceHeight);
    }, 60_000);
  }
});
