// Rig storage for the blob store: one compact binary blob.
//   "AHRG" | u16 format version | u32 header length | header JSON (UTF-8) | f32 mesh | PNG image
// The header carries everything but the mesh and image, plus their byte lengths.
// Also a JSON form (mesh as a number array, image stored beside it) used for fixtures and debugging.
import type { AspectRatio, Rig, RigColors } from './rig.js';

const MAGIC = 'AHRG';
const FORMAT_VERSION = 1;

interface Header {
  version: 1;
  width: number;
  height: number;
  aspectRatio: AspectRatio;
  regions: Record<string, number[]>;
  colors: RigColors;
  faceBox: Rig['faceBox'];
  meshLength: number;
  imageLength: number;
}

export class RigFormatError extends Error {
  override readonly name = 'RigFormatError';
}

export function encodeRig(rig: Rig): Uint8Array {
  const header: Header = {
    version: rig.version,
    width: rig.width,
    height: rig.height,
    aspectRatio: rig.aspectRatio,
    regions: rig.regions,
    colors: rig.colors,
    faceBox: rig.faceBox,
    meshLength: rig.mesh.length,
    imageLength: rig.image.byteLength,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header so the mesh starts 4-byte aligned and can be viewed without copying.
  const headerEnd = 10 + headerBytes.byteLength;
  const meshOffset = Math.ceil(headerEnd / 4) * 4;
  const total = meshOffset + rig.mesh.byteLength + rig.image.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint32(6, meshOffset - 10, true);
  out.set(headerBytes, 10);
  out.fill(0x20, headerEnd, meshOffset);
  new Float32Array(out.buffer, meshOffset, rig.mesh.length).set(rig.mesh);
  out.set(rig.image, meshOffset + rig.mesh.byteLength);
  return out;
}

export function decodeRig(bytes: Uint8Array): Rig {
  if (bytes.byteLength < 10 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new RigFormatError('not an agenthuman rig blob');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = view.getUint16(4, true);
  if (formatVersion !== FORMAT_VERSION) throw new RigFormatError(`unsupported rig format ${formatVersion}`);
  const headerLength = view.getUint32(6, true);
  const meshOffset = 10 + headerLength;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(10, meshOffset))) as Header;
  } catch (err) {
    throw new RigFormatError('corrupt rig header', { cause: err });
  }
  const imageOffset = meshOffset + header.meshLength * 4;
  if (imageOffset + header.imageLength !== bytes.byteLength) throw new RigFormatError('truncated rig blob');
  const mesh = new Float32Array(header.meshLength);
  mesh.set(new Float32Array(bytes.slice(meshOffset, imageOffset).buffer));
  return {
    version: header.version,
    width: header.width,
    height: header.height,
    aspectRatio: header.aspectRatio,
    image: bytes.slice(imageOffset, imageOffset + header.imageLength),
    mesh,
    regions: header.regions,
    colors: header.colors,
    faceBox: header.faceBox,
  };
}

/** The rig without its image, mesh as plain numbers: for JSON fixtures (the image goes beside it as PNG). */
export interface RigJson extends Omit<Rig, 'image' | 'mesh'> {
  mesh: number[];
}

export function rigToJson(rig: Rig): RigJson {
  const { image: _image, mesh, ...rest } = rig;
  return { ...rest, mesh: Array.from(mesh, (v) => Math.round(v * 100) / 100) };
}

export function rigFromJson(json: RigJson, image: Uint8Array): Rig {
  return { ...json, mesh: Float32Array.from(json.mesh), image };
}
