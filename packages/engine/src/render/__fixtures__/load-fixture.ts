import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rig } from '../../face/rig.js';

/** The Eileen Collins rig (640×480) used by renderer tests and the render benchmark. */
export function loadEileenRig(): Rig {
  const dir = fileURLToPath(new URL('./eileen/', import.meta.url));
  const json = JSON.parse(readFileSync(`${dir}rig.json`, 'utf8')) as Omit<Rig, 'mesh' | 'image'> & {
    mesh: number[];
  };
  return {
    ...json,
    mesh: Float32Array.from(json.mesh),
    image: new Uint8Array(readFileSync(`${dir}crop.png`)),
  };
}
