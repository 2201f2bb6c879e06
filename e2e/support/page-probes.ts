import type { Page } from 'playwright-core';

/** What the browser's own getStats says about the received room. */
export interface InboundSnapshot {
  atMs: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  videoCodec: string;
  audioLevel: number;
  totalAudioEnergy: number;
  remoteAddresses: string[];
}

export function inboundSnapshot(page: Page): Promise<InboundSnapshot> {
  return page.evaluate(async () => {
    const room = (window as unknown as { agenthumanRoom: { pc: RTCPeerConnection } }).agenthumanRoom;
    const stats = await room.pc.getStats();
    const snap = {
      atMs: performance.now(),
      framesDecoded: 0,
      frameWidth: 0,
      frameHeight: 0,
      videoCodec: '',
      audioLevel: 0,
      totalAudioEnergy: 0,
      remoteAddresses: [] as string[],
    };
    const codecs = new Map<string, string>();
    stats.forEach((s) => {
      if (s.type === 'codec') codecs.set(s.id, s.mimeType);
    });
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        snap.framesDecoded = s.framesDecoded ?? 0;
        snap.frameWidth = s.frameWidth ?? 0;
        snap.frameHeight = s.frameHeight ?? 0;
        snap.videoCodec = codecs.get(s.codecId) ?? '';
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        snap.audioLevel = s.audioLevel ?? 0;
        snap.totalAudioEnergy = s.totalAudioEnergy ?? 0;
      }
      if (s.type === 'remote-candidate') snap.remoteAddresses.push(s.address ?? s.ip);
    });
    return snap;
  });
}

/** Mean luma (BT.601) of a rectangle of the playing video, sampled `count` times `everyMs` apart. */
export function sampleRegionLuma(
  page: Page,
  rect: { x: number; y: number; w: number; h: number },
  count: number,
  everyMs: number,
): Promise<number[]> {
  return page.evaluate(
    async ({ rect, count, everyMs }) => {
      const video = document.getElementById('video') as HTMLVideoElement;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        ctx.drawImage(video, 0, 0);
        // Stay 4 px inside the rectangle: codec blocks blur its edges.
        const { data } = ctx.getImageData(rect.x + 4, rect.y + 4, rect.w - 8, rect.h - 8);
        let sum = 0;
        for (let p = 0; p < data.length; p += 4)
          sum += 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!;
        out.push(sum / (data.length / 4));
        await new Promise((r) => setTimeout(r, everyMs));
      }
      return out;
    },
    { rect, count, everyMs },
  );
}

export async function waitForRoomState(page: Page, state: string, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(
    (s) => (window as unknown as { agenthumanRoom?: { state: string } }).agenthumanRoom?.state === s,
    state,
    { timeout: timeoutMs },
  );
}
