// Copies between ranges of typed arrays without making a view per copy: `dst.set(src.subarray(a, b), at)` allocates
// a typed array object (~46 bytes) per call, and the renderer copies a few hundred row spans per frame (pose layers,
// the photo under last frame's drawing), which was a third of a render worker's garbage. A DataView per buffer
// (made once) copies 8 bytes at a time, as fast as set() up to ~300-byte rows and faster below. Float64 loads and
// stores move the bits unchanged (NaN patterns included), which frame-hash.test.ts holds the renderer to.

const views = new WeakMap<ArrayBufferLike, DataView>();

function viewOf(buffer: ArrayBufferLike): DataView {
  let view = views.get(buffer);
  if (!view) {
    view = new DataView(buffer);
    views.set(buffer, view);
  }
  return view;
}

/** Copies `count` elements of `src` from `from` into `dst` at `to` (same element type; the ranges may not overlap). */
export function copyElements<T extends Uint8Array | Int32Array>(
  dst: T,
  to: number,
  src: T,
  from: number,
  count: number,
): void {
  const size = dst.BYTES_PER_ELEMENT;
  copyBytes(
    viewOf(dst.buffer),
    dst.byteOffset + to * size,
    viewOf(src.buffer),
    src.byteOffset + from * size,
    count * size,
  );
}

function copyBytes(dst: DataView, to: number, src: DataView, from: number, len: number): void {
  let i = 0;
  for (; i + 8 <= len; i += 8) dst.setFloat64(to + i, src.getFloat64(from + i, true), true);
  for (; i < len; i++) dst.setUint8(to + i, src.getUint8(from + i));
}
