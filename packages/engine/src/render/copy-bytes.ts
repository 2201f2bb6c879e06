// Copies between ranges of typed arrays without making a view per copy: `dst.set(src.subarray(a, b), at)` allocates
// a typed array object (~46 bytes) per call, and the renderer copies a few hundred row spans per frame (pose layers,
// the photo under last frame's drawing), which was a third of a render worker's garbage. Callers take one DataView
// per buffer (bufferView, made once per buffer) and copy 8 bytes at a time: faster than set() for short spans,
// slower for long ones (applyLayer on a head-wide layer: 25 -> 31 us). Float64 loads and
// stores move the bits unchanged (NaN patterns included), which scratch-reuse.test.ts holds the renderer to.

const views = new WeakMap<ArrayBufferLike, DataView>();

/** A DataView over the whole buffer of `array` (offsets into it are byte offsets: add `array.byteOffset`). */
export function bufferView(array: ArrayBufferView): DataView {
  let view = views.get(array.buffer);
  if (!view) {
    view = new DataView(array.buffer);
    views.set(array.buffer, view);
  }
  return view;
}

/** Copies `len` bytes of `src` from byte `from` into `dst` at byte `to` (the ranges may not overlap). */
export function copyBytes(dst: DataView, to: number, src: DataView, from: number, len: number): void {
  let i = 0;
  for (; i + 8 <= len; i += 8) dst.setFloat64(to + i, src.getFloat64(from + i, true), true);
  for (; i < len; i++) dst.setUint8(to + i, src.getUint8(from + i));
}
