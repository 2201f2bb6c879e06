import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AudioChunk, VideoFrame } from '@agenthuman/engine/live';
import { PCM_RATE } from '@agenthuman/media';
import type { RoomEvents, RoomTransport, ViewerLeftReason } from '../transport.js';
import { AudioChunker } from './audio-chunker.js';
import { MediaPacer, type PacerStats } from './media-pacer.js';
import { RoomError } from './room-error.js';
import { offerProblem } from './sdp.js';
import { type PeerState, type ViewerAudioData, ViewerPeer } from './viewer-peer.js';
import { MediaStream, nonstandard } from './wrtc.js';

export interface BuiltinRoomOptions {
  name: string;
  /** STUN/TURN servers for the server's side of every viewer connection. */
  iceServers?: RTCIceServer[];
  /** Offer and accept only 127.0.0.1 ICE candidates (tests; a host behind a local proxy). */
  loopbackOnly?: boolean;
  /** Default 50. Each viewer costs one VP8 encode in libwebrtc. */
  maxViewers?: number;
  /** Emit `empty-timeout` after the room has been empty this long, having had a viewer. Default 30 000; 0 = never. */
  emptyTimeoutMs?: number;
  /** How long the answer waits for ICE candidates (non-trickle). Default 2 000. */
  gatherTimeoutMs?: number;
  /** A viewer that has not connected this long after its offer is dropped. Default 15 000. */
  connectTimeoutMs?: number;
  /** A connected viewer that stays `disconnected` this long has left. Default 8 000. */
  disconnectGraceMs?: number;
  /** Delay both streams by this much so slightly late pushes still leave on schedule. Default 20. */
  latencyMs?: number;
  /**
   * Highest VP8 bitrate per viewer. Default 700 000: decoded 640×480 frames of a talking head at 600 kbit/s
   * and 1 Mbit/s look alike (uncapped, libwebrtc ramps to ~1.7 Mbit/s on loopback), and the encoder, pacer
   * and RTP threads spend CPU with the bits (~8 ms per second per viewer from 1 Mbit/s to 600 kbit/s). 0 = no cap.
   */
  maxVideoBitrateBps?: number;
  /** Called when a video frame is handed to the encoder (for latency metrics). */
  onFrameSent?: (ptsMs: number, atMs: number) => void;
}

/** What libwebrtc reports about the video sent to one viewer. */
export interface ViewerVideoStats {
  viewerId: string;
  connected: boolean;
  framesEncoded: number;
  framesSent: number;
  frameWidth: number;
  frameHeight: number;
  bytesSent: number;
  /** `none`, `cpu` or `bandwidth`: why libwebrtc lowered quality, if it did. */
  qualityLimitationReason: string;
}

export interface RoomStats extends PacerStats {
  viewers: number;
  pendingViewers: number;
}

/**
 * libwebrtc takes PCM in 10 ms chunks at any rate and resamples to Opus's 48 kHz itself, in C++ off this thread.
 * Sessions speak at the pipeline's 16 kHz, so chunks go in at that rate as they come (resampled here only when
 * a pusher sends another rate).
 */
const AUDIO_RATE = PCM_RATE;

interface Viewer {
  peer: ViewerPeer;
  connected: boolean;
  timer: NodeJS.Timeout | null;
}

interface I420 {
  width: number;
  height: number;
  data: Uint8Array;
  recycle?: () => void;
}

/**
 * The built-in WebRTC room: one video source and one audio source, shared by a send-only peer connection per
 * viewer. libwebrtc (through @roamhq/wrtc) encodes VP8 and Opus and runs congestion control per viewer.
 */
export class BuiltinRoom extends EventEmitter<RoomEvents> implements RoomTransport {
  readonly name: string;
  private readonly options: Required<Omit<BuiltinRoomOptions, 'onFrameSent'>> &
    Pick<BuiltinRoomOptions, 'onFrameSent'>;
  // Rendered frames carry no sensor noise, so libvpx's temporal denoiser (on by default for camera sources)
  // would only cost encoder CPU.
  private readonly videoSource = new nonstandard.RTCVideoSource({ needsDenoising: false });
  private readonly audioSource = new nonstandard.RTCAudioSource();
  private readonly videoTrack = this.videoSource.createTrack();
  private readonly audioTrack = this.audioSource.createTrack();
  private readonly stream: MediaStream;
  private readonly viewers = new Map<string, Viewer>();
  private readonly pacer: MediaPacer<I420>;
  private readonly chunker = new AudioChunker(AUDIO_RATE);
  private hadViewer = false;
  private emptyTimer: NodeJS.Timeout | null = null;
  private closedFlag = false;
  emptySince: number | null = null;

  constructor(options: BuiltinRoomOptions) {
    super();
    this.name = options.name;
    this.options = {
      iceServers: [],
      loopbackOnly: false,
      maxViewers: 50,
      emptyTimeoutMs: 30_000,
      gatherTimeoutMs: 2_000,
      connectTimeoutMs: 15_000,
      disconnectGraceMs: 8_000,
      latencyMs: 20,
      maxVideoBitrateBps: 700_000,
      ...options,
    };
    this.stream = new MediaStream([this.videoTrack, this.audioTrack]);
    this.pacer = new MediaPacer<I420>({
      sampleRate: AUDIO_RATE,
      latencyMs: this.options.latencyMs,
      sink: {
        video: (frame, ptsMs) => {
          // libwebrtc copies the frame into its own buffer here, so ours can go back to the renderer.
          this.videoSource.onFrame(frame);
          frame.recycle?.();
          this.options.onFrameSent?.(ptsMs, performance.now());
        },
        audio: (samples) =>
          this.audioSource.onData({
            samples,
            sampleRate: AUDIO_RATE,
            bitsPerSample: 16,
            channelCount: 1,
            numberOfFrames: samples.length,
          }),
      },
    });
  }

  get viewerCount(): number {
    let n = 0;
    for (const viewer of this.viewers.values()) if (viewer.connected) n++;
    return n;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  stats(): RoomStats {
    return {
      ...this.pacer.stats,
      viewers: this.viewerCount,
      pendingViewers: this.viewers.size - this.viewerCount,
    };
  }

  /** Per-viewer encoder figures from libwebrtc's getStats (for diagnostics and benchmarks). */
  async viewerStats(): Promise<ViewerVideoStats[]> {
    const out: ViewerVideoStats[] = [];
    for (const [viewerId, viewer] of this.viewers) {
      const entry: ViewerVideoStats = {
        viewerId,
        connected: viewer.connected,
        framesEncoded: 0,
        framesSent: 0,
        frameWidth: 0,
        frameHeight: 0,
        bytesSent: 0,
        qualityLimitationReason: 'none',
      };
      const report = await viewer.peer.pc.getStats();
      report.forEach((s) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
        entry.framesEncoded = s.framesEncoded ?? 0;
        entry.framesSent = s.framesSent ?? 0;
        entry.frameWidth = s.frameWidth ?? 0;
        entry.frameHeight = s.frameHeight ?? 0;
        entry.bytesSent = s.bytesSent ?? 0;
        entry.qualityLimitationReason = s.qualityLimitationReason ?? 'none';
      });
      out.push(entry);
    }
    return out;
  }

  /** The engine's VideoSink: I420 or RGBA frames stamped on the session's media clock. */
  writeVideo(frame: VideoFrame): void {
    if (this.closedFlag) return;
    const { width, height } = frame;
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width <= 0 ||
      height <= 0 ||
      width % 2 ||
      height % 2
    ) {
      throw new RangeError(`video frames must have even positive integer sizes, got ${width}×${height}`);
    }
    const expected = frame.format === 'rgba' ? width * height * 4 : (width * height * 3) / 2;
    if (frame.data.length !== expected) {
      throw new RangeError(
        `a ${width}×${height} ${frame.format} frame needs ${expected} bytes, got ${frame.data.length}`,
      );
    }
    let i420: I420;
    if (frame.format === 'rgba') {
      i420 = { width, height, data: new Uint8Array((width * height * 3) / 2) };
      nonstandard.rgbaToI420({ width, height, data: frame.data }, i420);
    } else {
      // The frame waits in the pacer and a renderer may reuse its buffer meanwhile, so keep a copy unless the
      // pusher handed the buffer over for good.
      i420 = frame.transferred
        ? { width, height, data: frame.data, recycle: frame.recycle }
        : { width, height, data: frame.data.slice() };
    }
    this.pacer.pushVideo(i420, frame.ptsMs);
  }

  /** The engine's AudioSink: mono PCM16 at 8–48 kHz (the pipeline's is PCM_RATE), same clock as the video. */
  writeAudio(chunk: AudioChunk): void {
    if (this.closedFlag) return;
    for (const piece of this.chunker.push(chunk.pcm, chunk.sampleRate, chunk.ptsMs)) {
      this.pacer.pushAudio(piece.samples, piece.ptsMs);
    }
  }

  /** Answers a viewer's SDP offer (non-trickle: the answer carries all candidates). */
  async addViewer(offerSdp: unknown): Promise<{ viewerId: string; answerSdp: string }> {
    if (this.closedFlag) throw new RoomError(404, 'ROOM_NOT_FOUND', `room ${this.name} has ended`);
    const problem = offerProblem(offerSdp);
    if (problem) throw new RoomError(400, 'INVALID_SDP', problem);
    if (this.viewers.size >= this.options.maxViewers) {
      throw new RoomError(
        503,
        'ROOM_FULL',
        `room ${this.name} already has ${this.options.maxViewers} viewers`,
      );
    }
    const viewerId = randomUUID();
    const peer = new ViewerPeer(
      viewerId,
      {
        iceServers: this.options.iceServers,
        loopbackOnly: this.options.loopbackOnly,
        gatherTimeoutMs: this.options.gatherTimeoutMs,
        tracks: [this.videoTrack, this.audioTrack],
        stream: this.stream,
        onAudio: (data) => this.onViewerAudio(viewerId, data),
        maxVideoBitrateBps: this.options.maxVideoBitrateBps,
      },
      (state) => this.onPeerState(viewerId, state),
    );
    const viewer: Viewer = { peer, connected: false, timer: null };
    this.viewers.set(viewerId, viewer);
    viewer.timer = setTimeout(() => this.dropViewer(viewerId, 'failed'), this.options.connectTimeoutMs);
    try {
      const answerSdp = await peer.answer(offerSdp as string);
      if (this.closedFlag) throw new RoomError(404, 'ROOM_NOT_FOUND', `room ${this.name} has ended`);
      return { viewerId, answerSdp };
    } catch (error) {
      this.dropViewer(viewerId, 'failed');
      throw error;
    }
  }

  /** The viewer hung up (WHEP DELETE). False if there is no such viewer. */
  removeViewer(viewerId: string): boolean {
    if (!this.viewers.has(viewerId)) return false;
    this.dropViewer(viewerId, 'left');
    return true;
  }

  hasViewer(viewerId: string): boolean {
    return this.viewers.has(viewerId);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.pacer.stop();
    for (const id of [...this.viewers.keys()]) this.dropViewer(id, 'room-closed');
    this.clearEmptyTimer();
    this.videoTrack.stop();
    this.audioTrack.stop();
    this.emit('closed');
    this.removeAllListeners();
  }

  private onViewerAudio(viewerId: string, data: ViewerAudioData): void {
    // Nobody listening (a plain video session): skip the copy.
    if (this.closedFlag || this.listenerCount('viewer-audio') === 0) return;
    const { sampleRate, channelCount } = data;
    let samples = data.samples;
    if (channelCount > 1) {
      const mono = new Int16Array(Math.floor(samples.length / channelCount));
      for (let i = 0; i < mono.length; i++) {
        let sum = 0;
        for (let c = 0; c < channelCount; c++) sum += samples[i * channelCount + c] ?? 0;
        mono[i] = Math.round(sum / channelCount);
      }
      samples = mono;
    } else {
      // libwebrtc reuses its buffer for the next chunk.
      samples = samples.slice();
    }
    this.emit('viewer-audio', { viewerId, samples, sampleRate });
  }

  private onPeerState(viewerId: string, state: PeerState): void {
    const viewer = this.viewers.get(viewerId);
    if (!viewer) return;
    if (state === 'connected') {
      if (viewer.timer) clearTimeout(viewer.timer);
      viewer.timer = null;
      if (viewer.connected) return;
      viewer.connected = true;
      this.hadViewer = true;
      this.emptySince = null;
      this.clearEmptyTimer();
      this.emit('viewer-joined', { viewerId, viewers: this.viewerCount });
    } else if (state === 'disconnected') {
      // ICE may recover by itself (a blip); give it a grace period before calling the viewer gone.
      if (viewer.timer) clearTimeout(viewer.timer);
      viewer.timer = setTimeout(
        () => this.dropViewer(viewerId, 'disconnected'),
        this.options.disconnectGraceMs,
      );
    } else if (state === 'failed' || state === 'closed') {
      this.dropViewer(viewerId, 'failed');
    }
  }

  private dropViewer(viewerId: string, reason: ViewerLeftReason): void {
    const viewer = this.viewers.get(viewerId);
    if (!viewer) return;
    this.viewers.delete(viewerId);
    if (viewer.timer) clearTimeout(viewer.timer);
    viewer.peer.close();
    if (!viewer.connected) return;
    const viewers = this.viewerCount;
    this.emit('viewer-left', { viewerId, viewers, reason });
    if (viewers === 0 && this.hadViewer && !this.closedFlag) {
      const sinceMs = Date.now();
      this.emptySince = sinceMs;
      this.emit('empty-since', { sinceMs });
      if (this.options.emptyTimeoutMs > 0) {
        this.emptyTimer = setTimeout(() => {
          this.emptyTimer = null;
          this.emit('empty-timeout', { sinceMs });
        }, this.options.emptyTimeoutMs);
      }
    }
  }

  private clearEmptyTimer(): void {
    if (this.emptyTimer) clearTimeout(this.emptyTimer);
    this.emptyTimer = null;
  }
}
