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
 * env_logger: `RUST_LOG` (errors only when unset) to stderr. The avatar server turns it off too (its rooms all
 * receive: agent audio, data streams), unless `keepRtcLogCapture(true)` asks for rtc-node's default (A/B runs).
 */
import { FfiEvent, livekitInitialize } from '@livekit/rtc-ffi-bindings';

/**
 * rtc-node's own version (its SDK_VERSION), which the core reports to the LiveKit server. rooms pins rtc-node to
 * it exactly, because this reaches into rtc-node's FFI client: a new rtc-node must be checked against it.
 */
const RTC_NODE_VERSION = '1.1.0';

let stopped = false;
let keep = false;

/** Leave rtc-node's log capture as rtc-node sets it (for A/B measurements); call before the first room joins. */
export function keepRtcLogCapture(on: boolean): void {
  keep = on;
}

/** Once per process, after rtc-node's FFI client exists (after a first `Room.connect`); false until then. */
export function stopRtcLogCapture(): boolean {
  if (stopped) return true;
  if (keep) return false;
  // rtc-node keeps its one FFI client here and does not export it.
  const client = (globalThis as { _ffiClientInstance?: { emit(name: string, event: FfiEvent): boolean } })
    ._ffiClientInstance;
  if (!client) return false;
  stopped = true;
  livekitInitialize((data) => client.emit('ffi_event', FfiEvent.fromBinary(data)), false, RTC_NODE_VERSION);
  return true;
}
