import type { RoomHub } from '../builtin/room-hub.js';
import { nonstandard, RTCPeerConnection } from '../builtin/wrtc.js';

/**
 * A viewer that runs in Node (libwebrtc through @roamhq/wrtc, the same stack a browser uses) for unit tests:
 * it offers to receive audio and video through the hub's signalling and counts decoded frames.
 */
export class NodeViewer {
  readonly pc = new RTCPeerConnection({ iceServers: [] });
  framesDecoded = 0;
  lastFrameSize = { width: 0, height: 0 };
  resourcePath: string | null = null;
  private sinks: { stop(): void }[] = [];

  constructor() {
    this.pc.addTransceiver('video', { direction: 'recvonly' });
    this.pc.addTransceiver('audio', { direction: 'recvonly' });
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

  close(): void {
    for (const sink of this.sinks) sink.stop();
    this.sinks = [];
    this.pc.close();
  }
}
