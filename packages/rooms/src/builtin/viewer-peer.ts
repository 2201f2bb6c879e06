import { RoomError } from './room-error.js';
import { capVideoBandwidth, keepLoopbackCandidates } from './sdp.js';
import { RTCPeerConnection } from './wrtc.js';

export interface ViewerPeerOptions {
  iceServers: RTCIceServer[];
  loopbackOnly: boolean;
  /** Non-trickle ICE: the answer carries every candidate gathered within this time. */
  gatherTimeoutMs: number;
  tracks: MediaStreamTrack[];
  /** One stream shared by audio and video, so the browser lip-syncs them as one group. */
  stream: MediaStream;
  /** Caps the VP8 bitrate libwebrtc's congestion control may ramp up to; 0 leaves libwebrtc's default. */
  maxVideoBitrateBps?: number;
}

export type PeerState = RTCPeerConnectionState;

/** One viewer's send-only peer connection: answers the viewer's offer with the room's shared tracks. */
export class ViewerPeer {
  readonly pc: RTCPeerConnection;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly options: ViewerPeerOptions,
    onState: (state: PeerState) => void,
  ) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers, bundlePolicy: 'max-bundle' });
    this.pc.onconnectionstatechange = () => {
      if (!this.closed) onState(this.pc.connectionState);
    };
  }

  async answer(offerSdp: string): Promise<string> {
    let offer = this.options.loopbackOnly ? keepLoopbackCandidates(offerSdp) : offerSdp;
    const maxKbps = Math.floor((this.options.maxVideoBitrateBps ?? 0) / 1000);
    if (maxKbps > 0) offer = capVideoBandwidth(offer, maxKbps);
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    } catch (error) {
      throw new RoomError(400, 'INVALID_SDP', `the SDP offer was rejected: ${(error as Error).message}`);
    }
    const kinds = new Set(this.pc.getTransceivers().map((t) => t.receiver.track?.kind));
    for (const track of this.options.tracks) {
      if (kinds.has(track.kind)) this.pc.addTrack(track, this.options.stream);
    }
    try {
      await this.pc.setLocalDescription(await this.pc.createAnswer());
    } catch (error) {
      throw new RoomError(
        400,
        'NEGOTIATION_FAILED',
        `could not answer the offer: ${(error as Error).message}`,
      );
    }
    await this.gathered();
    const sdp = this.pc.localDescription?.sdp ?? '';
    return this.options.loopbackOnly ? keepLoopbackCandidates(sdp) : sdp;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.onconnectionstatechange = null;
    this.pc.onicegatheringstatechange = null;
    this.pc.close();
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.gatherTimeoutMs);
      const pc = this.pc;
      function done() {
        clearTimeout(timer);
        pc.onicegatheringstatechange = null;
        resolve();
      }
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === 'complete') done();
      };
    });
  }
}
