// The capture thread's body (plain JS so a Worker starts it without a loader). rtc-node's captureFrame is one
// synchronous FFI request that copies the I420 planes into libwebrtc and feeds its encoder (~0.5–0.9 ms a 640×480
// frame here); made from this thread it leaves the main event loop to the session pipelines.
//
// The FFI server is one per process: handles made on the main thread are valid here, and requests need no
// `livekitInitialize` (which must never run a second time: it would take the event callback from the main
// thread). Protocol and slot states: video-capture-thread.ts.
import { readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import ffi from '@livekit/rtc-ffi-bindings';

const FREE = 0;

/** @type {Map<number, {handle: bigint, width: number, height: number, state: Int32Array, planes: object[][]}>} */
const lanes = new Map();

function planesOf(slot, width, height) {
  const ptr = ffi.livekitRetrievePtr(new Uint8Array(slot));
  const chromaWidth = Math.trunc((width + 1) / 2);
  const chromaHeight = Math.trunc((height + 1) / 2);
  const luma = width * height;
  const chroma = chromaWidth * chromaHeight;
  return [
    { dataPtr: ptr, stride: width, size: luma },
    { dataPtr: ptr + BigInt(luma), stride: chromaWidth, size: chroma },
    { dataPtr: ptr + BigInt(luma + chroma), stride: chromaWidth, size: chroma },
  ];
}

parentPort.on('message', (message) => {
  if (message.type === 'open') {
    lanes.set(message.lane, {
      handle: message.handle,
      width: message.width,
      height: message.height,
      state: new Int32Array(message.state),
      planes: message.slots.map((slot) => planesOf(slot, message.width, message.height)),
    });
  } else if (message.type === 'frame') {
    const lane = lanes.get(message.lane);
    if (!lane) return;
    try {
      const components = lane.planes[message.slot];
      const request = new ffi.FfiRequest({
        message: {
          case: 'captureVideoFrame',
          value: {
            sourceHandle: lane.handle,
            timestampUs: BigInt(message.timestampUs),
            rotation: ffi.VideoRotation.VIDEO_ROTATION_0,
            buffer: {
              type: ffi.VideoBufferType.I420,
              width: lane.width,
              height: lane.height,
              dataPtr: components[0].dataPtr,
              stride: 0,
              components,
            },
          },
        },
      });
      ffi.livekitFfiRequest(request.toBinary());
    } catch (error) {
      // A source disposed meanwhile answers "handle not found": the frame had nowhere to go anyway.
      parentPort.postMessage({
        type: 'failed',
        lane: message.lane,
        message: String(error?.message ?? error),
      });
    } finally {
      Atomics.store(lane.state, message.slot, FREE);
    }
  } else if (message.type === 'close') {
    // Messages are handled in order: every frame of this lane sent before has been captured.
    lanes.delete(message.lane);
    parentPort.postMessage({ type: 'closed', lane: message.lane });
  }
});
// The thread's id (Linux: /proc/thread-self → <pid>/task/<tid>), so CPU figures can name this thread.
let tid;
try {
  tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
} catch {
  tid = undefined;
}
parentPort.postMessage({ type: 'ready', tid });
