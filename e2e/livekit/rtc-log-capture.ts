/**
 * rtc-node initialises its native core with log capture on, and the core then hands every Rust and libwebrtc
 * record to JavaScript at level trace (libwebrtc's verbose log included: thousands a second per room receiving
 * media), where rtc-node drops them. Each record is an FFI event, and rtc-node hands every FFI event to every
 * room and stream of the process (each room takes a mutex per event): a process with many receiving rooms
 * spends its event loop on them. bench:livekit's peers (8 viewers and 8 agents, niced) saturated it at 8
 * sessions (event-loop utilisation 1.0), its FFI events backed up, and a viewer's first frame, decoded by
 * libwebrtc, reached JavaScript tens of seconds late.
 *
 * `stopRtcLogCapture` initialises the core again with capture off and the same event callback rtc-node installs
 * (the core keeps one callback and one capture flag, and takes the last initialise). Rust then logs through
 * env_logger: `RUST_LOG` (errors only when unset) to stderr. For test and benchmark peers, not the server.
 */
import { FfiEvent, livekitInitialize } from '@livekit/rtc-ffi-bindings';

/** rtc-node's own version (its SDK_VERSION), which the core reports to the LiveKit server. */
const RTC_NODE_VERSION = '1.1.0';

let stopped = false;

/** Once per process, after rtc-node's FFI client exists (after a first `Room.connect`); false until then. */
export function stopRtcLogCapture(): boolean {
  if (stopped) return true;
  // rtc-node keeps its one FFI client here and does not export it.
  const client = (globalThis as { _ffiClientInstance?: { emit(name: string, event: FfiEvent): boolean } })
    ._ffiClientInstance;
  if (!client) return false;
  stopped = true;
  livekitInitialize((data) => client.emit('ffi_event', FfiEvent.fromBinary(data)), false, RTC_NODE_VERSION);
  return true;
}
