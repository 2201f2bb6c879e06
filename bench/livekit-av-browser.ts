/**
 * bench:livekit-av's browser subscriber: headless Debian chromium (e2e/support/chromium.ts) playing the room
 * with livekit-client, as the room page does — the video track in a <video>, the audio track in an <audio>.
 * Per segment it answers when the start frame was expected on screen and when the first audio sample was output:
 *
 * - video: requestVideoFrameCallback's `expectedDisplayTime` for each composited frame, whose index is read from
 *   the luma blocks the test renderer paints (drawn to a canvas); the start frame's time is the median of its
 *   neighbours' times minus their distance in frames, as for the rtc-node viewer;
 * - audio: the same track also feeds an AudioWorklet that finds the chirp's first sample; its context time is
 *   turned into page time with AudioContext.getOutputTimestamp() (when that context time reaches the output).
 *   The worklet hears the track beside the <audio> element, not through it: its own buffering (one 128-frame
 *   render quantum and the MediaStreamAudioSourceNode's FIFO) is part of the figure, ±10–20 ms.
 *
 * Times are absolute (page performance.timeOrigin + now), comparable with the bench's.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium.js';
import type { ViewerMeasurement } from './livekit-av-viewer.js';

const FRAME_MS = 40;
const webRequire = createRequire(new URL('../packages/web/package.json', import.meta.url));
const LIVEKIT_CLIENT_UMD = join(dirname(webRequire.resolve('livekit-client')), 'livekit-client.umd.js');

/** Runs in the page: joins, records frames and audio onsets into window.av. */
const PAGE_SCRIPT = `
window.av = { frames: [], onsets: [], errors: [], streams: {} };
const abs = (t) => performance.timeOrigin + t;
const WORKLET = \`
class Onset extends AudioWorkletProcessor {
  constructor() { super(); this.quiet = 0; }
  process(inputs) {
    const data = inputs[0] && inputs[0][0];
    if (!data) return true;
    for (let i = 0; i < data.length; i++) {
      if (Math.abs(data[i]) > 2000 / 32768) {
        // An onset after at least 200 ms of silence (the chirps are 800 ms apart and more).
        if (this.quiet >= 0.2 * sampleRate) this.port.postMessage(currentTime + i / sampleRate);
        this.quiet = 0;
      } else this.quiet++;
    }
    return true;
  }
}
registerProcessor('onset', Onset);\`;

function readIndex(ctx, width, height) {
  const side = Math.max(2, Math.min(Math.floor(width / 10), Math.floor(height / 4)));
  const top = Math.max(1, Math.floor(side / 2));
  const row = ctx.getImageData(0, top + (side >> 2), width, 1).data;
  let index = 0;
  for (let bit = 0; bit < 8; bit++) {
    const x = Math.floor(side / 2) + bit * side + (side >> 1);
    const g = row[x * 4 + 1];
    if (g > 90 && g < 160) return -1;
    index = (index << 1) | (g >= 160 ? 1 : 0);
  }
  return index;
}

window.tracks = {};
// Jitter-buffer delay per emitted sample/frame (ms) since the last call, per kind, from RTCRtpReceiver stats.
let lastStats = {};
window.jitterBuffers = async () => {
  const out = {};
  for (const [kind, track] of Object.entries(window.tracks)) {
    const stats = await track.receiver.getStats();
    for (const s of stats.values()) {
      if (s.type !== 'inbound-rtp') continue;
      const last = lastStats[kind] || { delay: 0, count: 0, target: 0 };
      const count = s.jitterBufferEmittedCount - last.count;
      if (count > 0) out[kind] = {
        delayMs: (1000 * (s.jitterBufferDelay - last.delay)) / count,
        targetMs: (1000 * ((s.jitterBufferTargetDelay || 0) - last.target)) / count,
      };
      lastStats[kind] = { delay: s.jitterBufferDelay, count: s.jitterBufferEmittedCount, target: s.jitterBufferTargetDelay || 0 };
    }
  }
  if (window.audioContext) out.audioOutput = { baseLatencyMs: 1000 * window.audioContext.baseLatency, outputLatencyMs: 1000 * (window.audioContext.outputLatency || 0) };
  return out;
};

window.joinRoom = async (url, token) => {
  const room = new LivekitClient.Room({ adaptiveStream: false, dynacast: false });
  window.room = room;
  room.on(LivekitClient.RoomEvent.TrackSubscribed, async (track) => {
    try {
      // The WebRTC stream (msid) the track arrived in: one per participant stream only with sync_streams.
      window.av.streams[track.kind] = track.mediaStream?.id ?? null;
      window.tracks[track.kind] = track;
      if (track.kind === 'video') {
        const video = track.attach();
        video.muted = true;
        document.body.append(video);
        const canvas = document.createElement('canvas');
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        const onFrame = (_now, meta) => {
          if (canvas.width !== meta.width) { canvas.width = meta.width; canvas.height = meta.height; }
          ctx.drawImage(video, 0, 0);
          window.av.frames.push({ at: abs(meta.expectedDisplayTime), presented: abs(meta.presentationTime),
            marker: readIndex(ctx, meta.width, meta.height) });
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        await video.play();
      } else if (track.kind === 'audio') {
        const audio = track.attach();
        document.body.append(audio);
        await audio.play();
        const context = new AudioContext({ sampleRate: 48000 });
        window.audioContext = context;
        await context.audioWorklet.addModule(URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' })));
        const source = context.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
        const node = new AudioWorkletNode(context, 'onset');
        node.port.onmessage = ({ data }) => {
          const stamp = context.getOutputTimestamp();
          window.av.onsets.push(abs(stamp.performanceTime + (data - stamp.contextTime) * 1000));
        };
        source.connect(node);
        await context.resume();
      }
    } catch (error) { window.av.errors.push(String(error)); }
  });
  await room.connect(url, token, { autoSubscribe: true });
};
`;

export class BrowserViewer {
  #browser: Browser | undefined;
  #page: Page | undefined;

  async join(url: string, token: string): Promise<void> {
    this.#browser = await launchChromium();
    const page = await this.#browser.newPage();
    this.#page = page;
    // A page of the LiveKit server's own origin (its health answer): from about:blank, chromium's private
    // network rules refuse the client's fetches to a loopback server.
    await page.goto(url.replace(/^ws/, 'http'));
    await page.addScriptTag({ path: LIVEKIT_CLIENT_UMD });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate(
      ([u, t]) => (window as never as { joinRoom: (u: string, t: string) => Promise<void> }).joinRoom(u!, t!),
      [url, token],
    );
  }

  async measure(
    sinceAbs: number,
    startPts: number,
  ): Promise<ViewerMeasurement & { errors: string[]; streams: Record<string, string> }> {
    const page = this.#page;
    if (!page) throw new Error('the browser viewer has not joined');
    type Av = {
      frames: { at: number; presented: number; marker: number }[];
      onsets: number[];
      errors: string[];
      streams: Record<string, string>;
    };
    const av = await page.evaluate((since) => {
      const w = window as never as { av: Av };
      const out = {
        frames: w.av.frames.filter((f) => f.at >= since - 1000),
        onsets: w.av.onsets.filter((t) => t >= since),
        errors: w.av.errors,
        streams: w.av.streams,
      };
      // Keep the page's memory flat: this segment's data is not asked for again.
      w.av.frames = w.av.frames.filter((f) => f.at >= since - 1000);
      w.av.onsets = w.av.onsets.filter((t) => t >= since);
      return out;
    }, sinceAbs);
    const startIndex = Math.round(startPts / FRAME_MS);
    const shown: number[] = [];
    const presented: number[] = [];
    let videoExactAt: number | undefined;
    for (const frame of av.frames) {
      if (frame.marker < 0) continue;
      const distance = ((((frame.marker - (startIndex % 256)) % 256) + 384) % 256) - 128;
      if (Math.abs(distance) > 5) continue;
      if (distance === 0 && videoExactAt === undefined) videoExactAt = frame.at;
      shown.push(frame.at - distance * FRAME_MS);
      presented.push(frame.presented - distance * FRAME_MS);
    }
    const median = (values: number[]) =>
      values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : undefined;
    return {
      videoAt: median(shown),
      // presentationTime: when the compositor got the frame (before the display's own wait).
      videoRenderAt: median(presented),
      videoExactAt,
      audioAt: av.onsets[0],
      framesUsed: shown.length,
      audioGapMaxMs: 0,
      errors: av.errors,
      streams: av.streams,
    };
  }

  /** Chromium's own jitter-buffer delays since the last call (RTCRtpReceiver stats), and the audio output's. */
  jitterBuffers(): Promise<Record<string, Record<string, number>>> {
    if (!this.#page) throw new Error('the browser viewer has not joined');
    return this.#page.evaluate(() =>
      (
        window as never as { jitterBuffers: () => Promise<Record<string, Record<string, number>>> }
      ).jitterBuffers(),
    );
  }

  async close(): Promise<void> {
    await this.#browser?.close();
  }
}
