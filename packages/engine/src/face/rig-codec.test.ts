import { describe, expect, it } from 'vitest';
import { meshRegions } from './mesh-regions.js';
import type { Rig } from './rig.js';
import { decodeRig, encodeRig, RigFormatError, rigFromJson, rigToJson } from './rig-codec.js';

function sampleRig(): Rig {
  const mesh = new Float32Array(478 * 2).map((_, i) => (i * 37.25) % 640);
  return {
    version: 1,
    width: 640,
    height: 480,
    aspectRatio: '4:3',
    image: new Uint8Array([137, 80, 78, 71, 1, 2, 3, 4, 5]),
    mesh,
    regions: meshRegions(),
    colors: {
      skin: [200, 160, 140],
      lip: [180, 90, 90],
      cavity: [40, 12, 14],
      teeth: [230, 225, 215],
      eyelid: [170, 130, 120],
    },
    faceBox: { x: 220, y: 120, width: 200, height: 230 },
  };
}

describe('rig codec', () => {
  it('round-trips through the binary form', () => {
    const rig = sampleRig();
    const back = decodeRig(encodeRig(rig));
    expect(back).toEqual(rig);
    expect(back.mesh).toBeInstanceOf(Float32Array);
  });

  it('round-trips a rig held at an unaligned offset of a larger buffer', () => {
    const bytes = encodeRig(sampleRig());
    const holder = new Uint8Array(bytes.length + 3);
    holder.set(bytes, 3);
    expect(decodeRig(holder.subarray(3))).toEqual(sampleRig());
  });

  it('rejects foreign and truncated blobs', () => {
    expect(() => decodeRig(new TextEncoder().encode('hello world'))).toThrow(RigFormatError);
    const bytes = encodeRig(sampleRig());
    expect(() => decodeRig(bytes.subarray(0, bytes.length - 1))).toThrow(RigFormatError);
  });

  it('round-trips through the JSON fixture form', () => {
    const rig = sampleRig();
    const json = JSON.parse(JSON.stringify(rigToJson(rig)));
    expect(rigFromJson(json, rig.image)).toEqual(rig);
  });
});
