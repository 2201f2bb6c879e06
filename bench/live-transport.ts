// Benchmark of the built-in WebRTC room alone (no renderer): CPU of the server process per room at 640×480
// 25 fps with 1 and 3 headless-chromium viewers, page load → first decoded frame, and how many rooms with one
// viewer each keep encoding and delivering 25 fps. Viewers run in chromium on the same machine, so their
// decoding competes for the same 2 cores; `rooms_by_cpu_estimate` is what encoding alone would allow.
// Prints one JSON object on its last line.
import type { BuiltinRoom } from '@agenthuman/rooms';
import {
  drawTestFrame,
  startRoomServer,
  TONE_SAMPLE_RATE,
  testPatternGeometry,
  toneChunk,
} from '@agenthuman/rooms/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium.js';

const WIDTH = 640;
const HEIGHT = 480;
const FRAME_MS = 40;
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5_000);
const MAX_ROOMS = Number(process.env.BENCH_MAX_ROOMS ?? 12);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[bench:live-transport] ${line}`);

// Frames and audio are made up front so the measured CPU is the room's, not the pattern generator's.
const geometry = testPatternGeometry(WIDTH, HEIGHT);
const frames = Array.from({ length: 50 }, (_, k) => drawTestFrame(geometry, k * FRAME_MS));
const audio = Array.from({ length: 20 }, (_, k) => toneChunk(k * FRAME_MS, FRAME_MS));

/** One media clock driving every room, like one pipeline per session would. */
function startSources(rooms: () => BuiltinRoom[]): () => void {
  const start = performance.now();
  let k = 0;
  let timer: NodeJS.Timeout;
  const step = () => {
    while (start + k * FRAME_MS <= performance.now()) {
      const ptsMs = k * FRAME_MS;
      for (const room of rooms()) {
        room.writeAudio({ pcm: audio[k % audio.length]!, sampleRate: TONE_SAMPLE_RATE, ptsMs });
        room.writeVideo({
          width: WIDTH,
          height: HEIGHT,
          format: 'i420',
          data: frames[k % frames.length]!,
          ptsMs,
        });
      }
      k++;
    }
    timer = setTimeout(step, Math.max(0, start + k * FRAME_MS - performance.now()));
  };
  step();
  return () => clearTimeout(timer);
}

async function cpuOver(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100;
}

async function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { agenthumanRoom: { pc: RTCPeerConnection } }).agenthumanRoom.pc;
    let n = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') n = s.framesDecoded ?? 0;
    });
    return n;
  });
}

async function openViewer(
  browser: Browser,
  baseUrl: string,
  room: string,
): Promise<{ page: Page; firstFrameMs: number }> {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/rooms/${room}?token=bench`);
  await page.waitForFunction(
    () =>
      (window as unknown as { agenthumanRoom: { firstFrameMs: number | null } }).agenthumanRoom
        .firstFrameMs !== null,
    null,
    { timeout: 20_000 },
  );
  const firstFrameMs = await page.evaluate(
    () => (window as unknown as { agenthumanRoom: { firstFrameMs: number } }).agenthumanRoom.firstFrameMs,
  );
  return { page, firstFrameMs };
}

interface Window {
  cpuPct: number;
  encodeFps: number[];
  decodeFps: number[];
  pacerDropped: number;
}

/** Measures CPU and, per viewer, the encoder's and the browser's frame rates over one window. */
async function measure(rooms: BuiltinRoom[], pages: Page[]): Promise<Window> {
  const encodedBefore = (await Promise.all(rooms.map((r) => r.viewerStats())))
    .flat()
    .map((s) => s.framesEncoded);
  const decodedBefore = await Promise.all(pages.map(decodedFrames));
  const droppedBefore = rooms.reduce((sum, r) => sum + r.stats().videoDropped, 0);
  const t0 = performance.now();
  const cpuPct = await cpuOver(MEASURE_MS);
  const seconds = (performance.now() - t0) / 1000;
  const encodedAfter = (await Promise.all(rooms.map((r) => r.viewerStats())))
    .flat()
    .map((s) => s.framesEncoded);
  const decodedAfter = await Promise.all(pages.map(decodedFrames));
  return {
    cpuPct,
    encodeFps: encodedAfter.map((n, i) => (n - (encodedBefore[i] ?? 0)) / seconds),
    decodeFps: decodedAfter.map((n, i) => (n - (decodedBefore[i] ?? 0)) / seconds),
    pacerDropped: rooms.reduce((sum, r) => sum + r.stats().videoDropped, 0) - droppedBefore,
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  const roomServer = await startRoomServer({ verifyToken: () => true });
  const { hub, baseUrl } = roomServer;
  const browser = await launchChromium();
  const rooms: BuiltinRoom[] = [];
  const stopSources = startSources(() => rooms);
  const result: Record<string, unknown> = { width: WIDTH, height: HEIGHT, fps: 25, measure_ms: MEASURE_MS };
  try {
    const idleCpu = await cpuOver(MEASURE_MS);
    rooms.push(hub.create('room-0'));
    await sleep(1_000);
    const noViewerCpu = await cpuOver(MEASURE_MS);
    log(`process idle ${round(idleCpu)}% of a core; one room, no viewer ${round(noViewerCpu)}%`);

    const firstFrames: number[] = [];
    const pages: Page[] = [];
    const first = await openViewer(browser, baseUrl, 'room-0');
    pages.push(first.page);
    firstFrames.push(first.firstFrameMs);
    await sleep(2_000);
    const one = await measure(rooms, pages);
    log(
      `1 room, 1 viewer: ${round(one.cpuPct)}% cpu, encode ${one.encodeFps.map((f) => round(f)).join(',')} fps`,
    );
    for (let i = 0; i < 2; i++) {
      const viewer = await openViewer(browser, baseUrl, 'room-0');
      pages.push(viewer.page);
      firstFrames.push(viewer.firstFrameMs);
    }
    await sleep(2_000);
    const three = await measure(rooms, pages);
    log(
      `1 room, 3 viewers: ${round(three.cpuPct)}% cpu, encode ${three.encodeFps.map((f) => round(f)).join(',')} fps`,
    );
    await Promise.all(pages.splice(1).map((p) => p.close()));
    await sleep(1_000);

    const perRoom1 = one.cpuPct - idleCpu;
    Object.assign(result, {
      cpu_process_idle_pct: round(idleCpu),
      cpu_room_no_viewer_pct: round(noViewerCpu - idleCpu),
      cpu_room_1_viewer_pct: round(perRoom1),
      cpu_room_3_viewers_pct: round(three.cpuPct - idleCpu),
      cpu_per_extra_viewer_pct: round((three.cpuPct - one.cpuPct) / 2),
      first_frame_ms_median: round(firstFrames.sort((a, b) => a - b)[Math.floor(firstFrames.length / 2)]!, 0),
      first_frame_ms_max: round(Math.max(...firstFrames), 0),
      rooms_by_cpu_estimate: Math.floor(200 / perRoom1),
    });

    // Add rooms (one chromium viewer each) until some viewer's encode or decode rate falls below 24 fps.
    let sustained = 1;
    const steps: unknown[] = [];
    for (let n = 2; n <= MAX_ROOMS; n++) {
      const room = hub.create(`room-${rooms.length}`);
      rooms.push(room);
      pages.push((await openViewer(browser, baseUrl, room.name)).page);
      if (n % 2 === 1 && n < MAX_ROOMS) continue;
      await sleep(2_000);
      const w = await measure(rooms, pages);
      const minEncode = Math.min(...w.encodeFps);
      const minDecode = Math.min(...w.decodeFps);
      steps.push({
        rooms: n,
        cpu_pct: round(w.cpuPct),
        min_encode_fps: round(minEncode),
        min_decode_fps: round(minDecode),
      });
      log(
        `${n} rooms: server ${round(w.cpuPct)}% cpu, min encode ${round(minEncode)} fps, min decode ${round(minDecode)} fps, pacer dropped ${w.pacerDropped}`,
      );
      if (minEncode < 24 || minDecode < 24 || w.pacerDropped > 0) break;
      sustained = n;
    }
    Object.assign(result, { rooms_sustained_with_chromium_viewers: sustained, steps });
  } finally {
    stopSources();
    await browser.close();
    await roomServer.close();
  }
  console.log(JSON.stringify(result));
  // libwebrtc's native threads can crash Node's normal teardown; leave explicitly once the result is out.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
