import type { RoomTransport } from '../transport.js';

/**
 * A synthetic avatar stand-in for tests and benchmarks: I420 frames with scrolling bars (so every frame differs,
 * like a live face), a fixed bright square top-left, and a "mouth" box whose brightness follows a 1 Hz sine;
 * audio is 440 Hz tone bursts (400 ms on, 400 ms off) at 16 kHz. Known content lets the browser check pixels.
 */
export interface TestPatternGeometry {
  width: number;
  height: number;
  /** The region whose brightness follows the sine: x, y, w, h. */
  mouth: { x: number; y: number; w: number; h: number };
  /** A region that never changes (luma 220): x, y, w, h. */
  still: { x: number; y: number; w: number; h: number };
}

export function testPatternGeometry(width: number, height: number): TestPatternGeometry {
  const mw = Math.round(width / 4 / 2) * 2;
  const mh = Math.round(height / 8 / 2) * 2;
  return {
    width,
    height,
    mouth: { x: Math.round((width - mw) / 4) * 2, y: Math.round((height * 0.65) / 2) * 2, w: mw, h: mh },
    still: { x: 16, y: 16, w: 64, h: 64 },
  };
}

export function mouthLuma(ptsMs: number): number {
  return Math.round(128 + 90 * Math.sin((2 * Math.PI * ptsMs) / 1000));
}

export function drawTestFrame(geometry: TestPatternGeometry, ptsMs: number, out?: Uint8Array): Uint8Array {
  const { width, height, mouth, still } = geometry;
  const frame = out ?? new Uint8Array((width * height * 3) / 2);
  const shift = Math.floor(ptsMs / 10);
  const row = new Uint8Array(width);
  for (let x = 0; x < width; x++) row[x] = ((x + shift) >> 5) & 1 ? 110 : 50;
  for (let y = 0; y < height; y++) frame.set(row, y * width);
  const fill = (r: { x: number; y: number; w: number; h: number }, value: number) => {
    for (let y = r.y; y < r.y + r.h; y++) frame.fill(value, y * width + r.x, y * width + r.x + r.w);
  };
  fill(mouth, mouthLuma(ptsMs));
  fill(still, 220);
  frame.fill(128, width * height);
  return frame;
}

export const TONE_SAMPLE_RATE = 16_000;

export function toneChunk(ptsMs: number, durationMs: number): Int16Array {
  const n = (TONE_SAMPLE_RATE * durationMs) / 1000;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = ptsMs + (i * 1000) / TONE_SAMPLE_RATE;
    const on = t % 800 < 400;
    out[i] = on ? Math.round(12_000 * Math.sin((2 * Math.PI * 440 * t) / 1000)) : 0;
  }
  return out;
}

export interface TestSourceOptions {
  width: number;
  height: number;
  fps?: number;
}

/**
 * Pushes the pattern into a room in real time from one media clock (video frame k at k·40 ms with the 40 ms of
 * audio that starts there), the way the session pipeline will. Returns a stop function.
 */
export function startTestSource(room: RoomTransport, options: TestSourceOptions): () => void {
  const fps = options.fps ?? 25;
  const frameMs = 1000 / fps;
  const geometry = testPatternGeometry(options.width, options.height);
  const start = performance.now();
  let k = 0;
  let timer: NodeJS.Timeout | null = null;
  const step = () => {
    // Catch up on every frame that is due, then sleep until the next one: drift-free like the real clock.
    while (start + k * frameMs <= performance.now()) {
      const ptsMs = k * frameMs;
      room.writeAudio({ pcm: toneChunk(ptsMs, frameMs), sampleRate: TONE_SAMPLE_RATE, ptsMs });
      room.writeVideo({
        width: geometry.width,
        height: geometry.height,
        format: 'i420',
        data: drawTestFrame(geometry, ptsMs),
        ptsMs,
      });
      k++;
    }
    timer = setTimeout(step, Math.max(0, start + k * frameMs - performance.now()));
  };
  step();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
