import type { RoomHub } from '../builtin/room-hub.js';
import { nonstandard, RTCPeerConnection } from '../builtin/wrtc.js';

const MIC_RATE = 16_000;
const CHUNK = MIC_RATE / 100;

/**
 * A viewer that runs in Node (libwebrtc through @roamhq/wrtc, the same stack a browser uses) for unit tests:
 * it offers to receive audio and video through the hub's signalling and counts decoded frames. With
 * `microphone`, it also sends audio up (a sendrecv audio transceiver): silence, or what `say()` queues, paced
 * in real time in 10 ms chunks as a browser's microphone would.
 */
export class NodeViewer {
  readonly pc = new RTCPeerConnection({ iceServers: [] });
  framesDecoded = 0;
  lastFrameSize = { width: 0, height: 0 };
  resourcePath: string | null = null;
  private sinks: { stop(): void }[] = [];
  private readonly mic: InstanceType<typeof nonstandard.RTCAudioSource> | null;
  private micTimer: NodeJS.Timeout | null = null;
  private queued: { pcm: Int16Array; at: number; started: (atMs: number) => void; done: () => void }[] = [];

  constructor(options: { microphone?: boolean } = {}) {
    this.pc.addTransceiver('video', { direction: 'recvonly' });
    if (options.microphone) {
      this.mic = new nonstandard.RTCAudioSource();
      this.pc.addTransceiver(this.mic.createTrack(), { direction: 'sendrecv' });
      this.startMicrophone();
    } else {
      this.mic = null;
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
    }
    this.pc.ontrack = (event) => {
      if (event.track.kind !== 'video') return;
      const sink = new nonstandard.RTCVideoSink(event.track);
      sink.onframe = ({ frame }: { frame: { width: number; height: number } }) => {
        this.framesDecoded++;
        this.lastFrameSize = { width: frame.width, height: frame.height };
      };
      this.sinks.push(sink);
    };
  }

  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await new Promise<void>((resolve) => {
      if (this.pc.iceGatheringState === 'complete') return resolve();
      this.pc.onicegatheringstatechange = () => {
        if (this.pc.iceGatheringState === 'complete') resolve();
      };
    });
    return this.pc.localDescription?.sdp ?? '';
  }

  /** Joins `roomName` through `hub.handle`, as the HTTP layer would call it. */
  async join(hub: RoomHub, roomName: string, token: string): Promise<void> {
    const path = `/rooms/${roomName}/whep`;
    const response = await hub.handle({
      method: 'POST',
      roomName,
      path,
      authorization: `Bearer ${token}`,
      contentType: 'application/sdp',
      body: await this.offer(),
    });
    if (response.status !== 201) throw new Error(`join failed: ${response.status} ${response.body}`);
    this.resourcePath = response.headers.location ?? null;
    await this.pc.setRemoteDescription({ type: 'answer', sdp: response.body });
  }

  waitForState(state: RTCPeerConnectionState, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pc.connectionState === state) return resolve();
      const timer = setTimeout(() => reject(new Error(`viewer never reached ${state}`)), timeoutMs);
      this.pc.addEventListener('connectionstatechange', () => {
        if (this.pc.connectionState === state) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /**
   * Speaks 16 kHz PCM into the microphone after whatever is queued. `started` resolves with performance.now()
   * when its first chunk goes out, `done` after its last.
   */
  say(pcm: Int16Array): { started: Promise<number>; done: Promise<void> } {
    if (!this.mic) throw new Error('this viewer has no microphone');
    let started!: (atMs: number) => void;
    let done!: () => void;
    const s = new Promise<number>((resolve) => (started = resolve));
    const d = new Promise<void>((resolve) => (done = resolve));
    this.queued.push({ pcm, at: 0, started, done });
    return { started: s, done: d };
  }

  private startMicrophone(): void {
    const t0 = performance.now();
    let sent = 0;
    const silence = new Int16Array(CHUNK);
    // Catch up to wall time every 10 ms (timers drift); bounded by the viewer's life (close stops it).
    this.micTimer = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / 10);
      for (; sent < due; sent++) {
        const chunk = this.nextChunk() ?? silence;
        this.mic?.onData({ samples: chunk, sampleRate: MIC_RATE, channelCount: 1, numberOfFrames: CHUNK });
      }
    }, 10);
  }

  private nextChunk(): Int16Array | undefined {
    const head = this.queued[0];
    if (!head) return undefined;
    if (head.at === 0) head.started(performance.now());
    const chunk = new Int16Array(CHUNK);
    chunk.set(head.pcm.subarray(head.at, head.at + CHUNK));
    head.at += CHUNK;
    if (head.at >= head.pcm.length) {
      this.queued.shift();
      head.done();
    }
    return chunk;
  }

  close(): void {
    if (this.micTimer) clearInterval(this.micTimer);
    this.micTimer = null;
    for (const sink of this.sinks) sink.stop();
    this.sinks = [];
    this.pc.close();
  }
}
