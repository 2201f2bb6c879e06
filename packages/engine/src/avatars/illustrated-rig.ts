// Builds the rig of an illustrated avatar: the character drawn on its template mesh, so every landmark is
// known by construction and the renderer animates it exactly like an ingested photo.
import { meshRegions } from '../face/mesh-regions.js';
import { outputSize, type ResolutionPreset } from '../face/output-size.js';
import type { AspectRatio, Rig } from '../face/rig.js';
import { drawnTeeth, sampleColors } from '../face/sample-colors.js';
import type { CharacterStyle } from './character-styles.js';
import { drawPortrait } from './draw-portrait.js';
import { FaceGeometry } from './face-geometry.js';
import { placeInFrame, shapedTemplate } from './template-mesh.js';

export async function illustratedRig(
  style: CharacterStyle,
  aspectRatio: AspectRatio,
  preset: ResolutionPreset = 'sd',
): Promise<Rig> {
  const { width, height } = outputSize(aspectRatio, preset);
  const mesh = placeInFrame(shapedTemplate(style.shape), width, height);
  const portrait = await drawPortrait(style, mesh, width, height);
  const g = new FaceGeometry(mesh);
  const oval = g.pts(meshRegions().faceOval!);
  const xs = oval.map((p) => p[0]);
  const ys = oval.map((p) => p[1]);
  const faceBox = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
  return {
    version: 1,
    width,
    height,
    aspectRatio,
    image: portrait.png,
    mesh,
    regions: meshRegions(),
    colors: drawnColors(sampleColors({ width, height, rgba: portrait.rgba }, mesh, g.F)),
    faceBox,
  };
}

/** The sampled colours with a drawn face's teeth (the sampling derives a photo's). */
function drawnColors(colors: Rig['colors']): Rig['colors'] {
  return { ...colors, teeth: drawnTeeth(colors.skin) };
}
