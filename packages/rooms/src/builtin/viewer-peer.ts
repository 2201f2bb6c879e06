import { RoomError } from './room-error.js';
import { capVideoBandwidth, keepLoopbackCandidates, limitOpusPlaybackRate } from './sdp.js';
import { nonstandard, RTCPeerConnection } from './wrtc.js';

/** PCM16 from the viewer's microphone, as libwebrtc decoded it (mono, or interleaved channels). */
export interface ViewerAudioData {
  samples: Int16Array;
  sampleRate: number;
  channelCount: number;
}

export interface ViewerPeerOptions {
  iceServers: RTCIceServer[];
  loopbackOnly: boolean;
  /** Non-trickle ICE: the answer carries every candidate gathered within this time. */
  gatherTimeoutMs: number;
  tracks: MediaStreamTrack[];
  /** One stream shared by audio and video, so the browser lip-syncs them as one group. */
  stream: MediaStream;
  /** Receives the viewer's microphone when its offer sends audio (a sendrecv audio transceiver). */
  onAudio?: (data: ViewerAudioData) => void;
  /** Caps the VP8 bitrate libwebrtc's congestion control may ramp up to; 0 leaves libwebrtc's default. */
  maxVideoBitrateBps?: number;
}

export type PeerState = RTCPeerConnectionState;

/** One viewer's send-only peer connection: answers the viewer's offer with the room's shared tracks. */
export class ViewerPeer {
  readonly pc: RTCPeerConnection;
  private closed = false;
  private audioSink: { stop(): void } | null = null;

  constructor(
    readonly id: string,
    private readonly options: ViewerPeerOptions,
    onState: (state: PeerState) => void,
  ) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers, bundlePolicy: 'max-bundle' });
    this.pc.onconnectionstatechange = () => {
      if (!this.closed) onState(this.pc.connectionState);
    };
    // Fires during setRemoteDescription when the offer sends audio: the viewer's microphone.
    this.pc.ontrack = (event) => {
      const onAudio = this.options.onAudio;
      if (event.track.kind !== 'audio' || !onAudio || this.audioSink || this.closed) return;
      const sink = new nonstandard.RTCAudioSink(event.track);
      sink.ondata = (data: ViewerAudioData) => {
        if (!this.closed) onAudio(data);
      };
      this.audioSink = sink;
    };
  }

  async answer(offerSdp: string): Promise<string> {
    let offer = this.options.loopbackOnly ? keepLoopbackCandidates(offerSdp) : offerSdp;
    const maxKbps = Math.floor((this.options.maxVideoBitrateBps ?? 0) / 1000);
    if (maxKbps > 0) offer = capVideoBandwidth(offer, maxKbps);
    offer = limitOpusPlaybackRate(offer, 16_000);
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
    this.audioSink?.stop();
    this.audioSink = null;
    this.pc.ontrack = null;
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
