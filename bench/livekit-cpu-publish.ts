/**
 * What publishing an avatar into a LiveKit room costs this process, per thread, by publish setting; the avatar's
 * rendering and pipeline are left out (frames and speech are made once and replayed), so what differs between
 * settings is rtc-node's: encoders, packets, audio capture. Each setting gets fresh rooms on a real LiveKit
 * server, `--rooms` of them publishing through the real sinks (media-sinks.ts, the capture thread) and
 * publishAvatarTracks, paced at 25 fps with 40 ms audio chunks as the pipeline writes; a niced child process
 * (livekit-cpu-viewer.ts) subscribes and decodes. Settings alternate, `--rounds` times, so a load change on the
 * shared machine hits all of them. Per setting: CPU per session by thread name, libwebrtc's own encoder figures
 * (ms per frame, QP, bitrate), what the viewer got, and PSNR of decoded frames against their sources (whole
 * frame, mouth), with a zoomed side-by-side PNG of the mouth (`--png-dir`). Prints one JSON object.
 *
 *   npx tsx bench/livekit-cpu-publish.ts [--rooms=4 --window-s=12 --warm-s=5 --rounds=2 \
 *     --variants=base,v300 --audio=speech|silence --png-dir=/tmp/lkcpu-png]
 *   (variants: the keys of VARIANTS below, and s480: the frames scaled to 480×360 before publishing)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createAnimator, createCpuRenderer, FliteTTS, findPublicAvatar } from '@agenthuman/engine';
import { speechMouth } from '@agenthuman/engine/testing/face';
import {
  type AvatarPublishTuning,
  LiveKitAudioSink,
  LiveKitVideoSink,
  publishAvatarTracks,
  startVideoCaptureThread,
  videoCaptureThreadId,
} from '@agenthuman/rooms/livekit';
import { DegradationPreference } from '@livekit/rtc-ffi-bindings';
import { Room, VideoCodec } from '@livekit/rtc-node';
import { mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { BenchChild, round, sleep } from './livekit-common.js';
import { type Box, matchFrames, scaleI420, sideBySide } from './livekit-cpu-quality.js';
import { threadTicks, ticksToMsPerSecond } from './process-cpu.js';

const ROOMS = argNumber('rooms', 4);
const WINDOW_S = argNumber('window-s', 12);
const WARM_S = argNumber('warm-s', 5);
const ROUNDS = argNumber('rounds', 2);
const AUDIO = argString('audio', 'speech');
const PNG_DIR = argString('png-dir', '/tmp/lkcpu-png');
/** The mouth of eileen at 640×480 (4:3), for PSNR and the zoomed crops. */
const MOUTH: Box = parseBox(argString('mouth', '264,258,112,72'));
const LOOP_FRAMES = 250;
const FRAME_MS = 40;

const VARIANTS: Record<string, AvatarPublishTuning> = {
  base: {},
  v350: { videoMaxBitrate: 350_000 },
  v300: { videoMaxBitrate: 300_000 },
  v250: { videoMaxBitrate: 250_000 },
  v200: { videoMaxBitrate: 200_000 },
  v300mr: { videoMaxBitrate: 300_000, degradationPreference: DegradationPreference.MAINTAIN_RESOLUTION },
  v350mr: { videoMaxBitrate: 350_000, degradationPreference: DegradationPreference.MAINTAIN_RESOLUTION },
  mr: { degradationPreference: DegradationPreference.MAINTAIN_RESOLUTION },
  a32: { audioMaxBitrate: 32_000 },
  a24: { audioMaxBitrate: 24_000 },
  a16: { audioMaxBitrate: 16_000 },
  dtx: { dtx: true },
  vp8: { videoCodec: VideoCodec.VP8 },
};
const NAMES = argString('variants', 'base,v300').split(',');

function argString(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}
function argNumber(name: string, fallback: number): number {
  return Number(argString(name, String(fallback)));
}
function parseBox(text: string): Box {
  const [x, y, w, h] = text.split(',').map(Number);
  return { x: x!, y: y!, w: w!, h: h! };
}

class Viewers extends BenchChild {
  join = (room: string) => this.request<object>({ op: 'join', room }, 'join');
  stats = (room: string) =>
    this.request<{ frames: number; audioMs: number; inbound: Record<string, Record<string, number>> }>(
      { op: 'stats', room },
      'stats',
    );
  dump = (room: string, file: string) =>
    this.request<{ count: number; width: number; height: number }>({ op: 'dump', room, file }, 'dump');
  leave = (room: string) => this.request<object>({ op: 'leave', room }, 'leave');
}

/** The speaking avatar's frames (I420), rendered once: what every room publishes, in a loop. */
async function renderLoop(): Promise<{ frames: Uint8Array[]; width: number; height: number }> {
  const rig = await findPublicAvatar('eileen')!.loadRig('4:3');
  const renderer = createCpuRenderer(rig);
  const animator = createAnimator({ seed: 1 });
  const frames = Array.from({ length: LOOP_FRAMES }, (_, i) =>
    renderer.render(animator.step(i * FRAME_MS, speechMouth(i)), i * FRAME_MS, 'i420').data.slice(),
  );
  renderer.close();
  return { frames, width: rig.width, height: rig.height };
}

async function speechPcm(): Promise<Int16Array> {
  if (AUDIO === 'silence') return new Int16Array(16_000 * 10);
  const tts = new FliteTTS();
  const text =
    'Hello, and thank you for calling. I can help you with your order, your account, or anything else you ' +
    'need today. Tell me what you are looking for, and I will find the quickest way to get it done for you.';
  return (await tts.synthesize(text)).pcm;
}

interface Publisher {
  name: string;
  room: Room;
  video: LiveKitVideoSink;
  audio: LiveKitAudioSink;
}

async function openPublisher(
  livekit: Awaited<ReturnType<typeof startLiveKitServer>>,
  name: string,
  size: { width: number; height: number },
  tuning: AvatarPublishTuning,
): Promise<Publisher> {
  const room = new Room();
  await room.connect(livekit.url, mintToken(livekit, { identity: 'avatar', room: name }), {
    autoSubscribe: false,
    dynacast: false,
  });
  const video = new LiveKitVideoSink(size.width, size.height);
  const audio = new LiveKitAudioSink();
  await publishAvatarTracks(room.localParticipant!, video.source, audio.source, tuning);
  return { name, room, video, audio };
}

/** libwebrtc's send counters of this room (cumulative), per kind. */
async function outbound(room: Room): Promise<Record<string, Record<string, number | string>>> {
  const out: Record<string, Record<string, number | string>> = {};
  const stats = await room.getRtcStats();
  for (const entry of [...stats.publisherStats, ...stats.subscriberStats]) {
    if (entry.stats.case === 'codec' && process.env.BENCH_PRINT_CODECS)
      console.error(
        JSON.stringify(entry.stats.value.codec, (_, x) => (typeof x === 'bigint' ? Number(x) : x)),
      );
    if (entry.stats.case !== 'outboundRtp') continue;
    const { stream, sent, outbound: o } = entry.stats.value;
    out[stream?.kind ?? '?'] = {
      bytesSent: Number(sent?.bytesSent ?? 0n),
      packetsSent: Number(sent?.packetsSent ?? 0n),
      framesEncoded: o?.framesEncoded ?? 0,
      totalEncodeTime: o?.totalEncodeTime ?? 0,
      qpSum: Number(o?.qpSum ?? 0n),
      targetBitrate: o?.targetBitrate ?? 0,
      keyFramesEncoded: o?.keyFramesEncoded ?? 0,
      frameWidth: o?.frameWidth ?? 0,
      frameHeight: o?.frameHeight ?? 0,
      encoder: o?.encoderImplementation ?? '',
      limitation: String(o?.qualityLimitationReason ?? ''),
    };
  }
  return out;
}

const delta = (
  b: Record<string, number | string>,
  a: Record<string, number | string> | undefined,
  k: string,
) => Number(b[k] ?? 0) - Number(a?.[k] ?? 0);

/** Paces every publisher at 25 fps until `stop()`: one frame and one 40 ms chunk per tick, as the pipeline does. */
function pace(
  publishers: Publisher[],
  frames: Uint8Array[],
  size: { width: number; height: number },
  pcm: Int16Array,
) {
  const chunk = (16_000 * FRAME_MS) / 1000;
  const chunks = Array.from({ length: Math.floor(pcm.length / chunk) }, (_, i) =>
    pcm.slice(i * chunk, (i + 1) * chunk),
  );
  const t0 = performance.now();
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    while (!stopped && performance.now() - t0 >= tick * FRAME_MS) {
      const ptsMs = tick * FRAME_MS;
      for (const p of publishers) {
        p.video.writeVideo({ format: 'i420', ...size, data: frames[tick % frames.length]!, ptsMs });
        p.audio.writeAudio({ pcm: chunks[tick % chunks.length]!, sampleRate: 16_000, ptsMs });
      }
      tick++;
    }
    if (!stopped) timer = setTimeout(run, Math.max(0, t0 + tick * FRAME_MS - performance.now()));
  };
  run();
  return {
    get tick() {
      return tick;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function cpuByName(a: ReturnType<typeof threadTicks>, b: ReturnType<typeof threadTicks>, seconds: number) {
  const out: Record<string, number> = {};
  const capture = String(videoCaptureThreadId());
  for (const [tid, end] of b) {
    const name = tid === String(process.pid) ? 'main' : tid === capture ? 'captureThread' : end.comm.trim();
    out[name] = (out[name] ?? 0) + ticksToMsPerSecond(end.ticks - (a.get(tid)?.ticks ?? 0), seconds);
  }
  return out;
}

async function main(): Promise<void> {
  mkdirSync(PNG_DIR, { recursive: true });
  const { frames, width, height } = await renderLoop();
  const size = { width, height };
  const pcm = await speechPcm();
  await startVideoCaptureThread();
  const livekit = await startLiveKitServer();
  const viewers = new Viewers('./livekit-cpu-viewer.ts', livekit, {
    name: 'viewers',
    nice: 10,
    timeoutMs: 60_000,
  });
  await viewers.ready;
  const rows: Record<string, unknown>[] = [];
  const decodedBy: Record<string, Map<number, Uint8Array>> = {};
  let roomNo = 0;
  let small: Uint8Array[] | undefined;
  try {
    for (let round_ = 0; round_ < ROUNDS; round_++)
      for (const name of NAMES) {
        // `s480`: the same frames scaled to 480×360 before publishing (what a smaller output size would send).
        const scaled = name === 's480';
        const tuning = scaled ? {} : VARIANTS[name];
        if (!tuning)
          throw new Error(`unknown variant ${name} (known: ${Object.keys(VARIANTS).join(', ')}, s480)`);
        const sent = scaled ? { width: 480, height: 360 } : size;
        small ??= scaled ? frames.map((f) => scaleI420(f, width, height, 480, 360)) : undefined;
        const sentFrames = scaled ? small! : frames;
        const publishers = await Promise.all(
          Array.from({ length: ROOMS }, () => openPublisher(livekit, `cpu-${roomNo++}`, sent, tuning)),
        );
        for (const p of publishers) await viewers.join(p.name);
        const pacer = pace(publishers, sentFrames, sent, pcm);
        await sleep(WARM_S * 1000);
        const out0 = await Promise.all(publishers.map((p) => outbound(p.room)));
        const in0 = await Promise.all(publishers.map((p) => viewers.stats(p.name)));
        const a = threadTicks();
        const t0 = performance.now();
        const audioHand0 = publishers.reduce((s, p) => s + p.audio.handMs, 0);
        const videoHand0 = publishers.reduce((s, p) => s + p.video.handMs, 0);
        await sleep(WINDOW_S * 1000);
        const b = threadTicks();
        const seconds = (performance.now() - t0) / 1000;
        const audioHandMs = publishers.reduce((s, p) => s + p.audio.handMs, 0) - audioHand0;
        const videoHandMs = publishers.reduce((s, p) => s + p.video.handMs, 0) - videoHand0;
        const out1 = await Promise.all(publishers.map((p) => outbound(p.room)));
        const in1 = await Promise.all(publishers.map((p) => viewers.stats(p.name)));
        // The viewer's last second of frames, matched to their sources.
        const matches = [];
        let decodedSize = '';
        for (const p of publishers) {
          const file = join(PNG_DIR, `${p.name}.i420`);
          const got = await viewers.dump(p.name, file);
          decodedSize = `${got.width}x${got.height}`;
          const raw = readFileSync(file);
          const bytes = (got.width * got.height * 3) / 2;
          // A smaller picture (libwebrtc scaled it down) is compared as a viewer sees it: scaled back up.
          const decoded = Array.from({ length: got.count }, (_, i) =>
            scaleI420(
              new Uint8Array(raw.subarray(i * bytes, (i + 1) * bytes)),
              got.width,
              got.height,
              width,
              height,
            ),
          );
          matches.push(...matchFrames(decoded, frames, width, height, MOUTH));
        }
        pacer.stop();
        await Promise.all(
          publishers.map(async (p) => {
            await viewers.leave(p.name);
            await p.video.close();
            await p.audio.close();
            await p.room.disconnect();
          }),
        );
        decodedBy[name] ??= new Map();
        for (const m of matches) decodedBy[name].set(m.sourceIndex, m.decoded);
        const cpu = cpuByName(a, b, seconds);
        const sum = (f: (i: number) => number) => publishers.reduce((s, _, i) => s + f(i), 0);
        const v = (i: number, k: string) => delta(out1[i]!.video ?? {}, out0[i]!.video, k);
        const au = (i: number, k: string) => delta(out1[i]!.audio ?? {}, out0[i]!.audio, k);
        const frameCount = sum((i) => v(i, 'framesEncoded'));
        const row = {
          variant: name,
          round: round_,
          sessions: ROOMS,
          seconds: round(seconds),
          cpuMsPerSPerSession: Object.fromEntries(
            Object.entries(cpu)
              .filter(([, ms]) => ms / ROOMS >= 0.3)
              .map(([k, ms]) => [k, round(ms / ROOMS)]),
          ),
          totalCpuMsPerSPerSession: round(Object.values(cpu).reduce((s, x) => s + x, 0) / ROOMS),
          // Event-loop wall time handing media to rtc-node (audio: its FFI request; video: the copy to the capture thread).
          audioHandOffMainMsPerSPerSession: round(audioHandMs / seconds / ROOMS),
          videoHandOffMainMsPerSPerSession: round(videoHandMs / seconds / ROOMS),
          encoder: out1[0]?.video?.encoder,
          sentSize: `${out1[0]?.video?.frameWidth}x${out1[0]?.video?.frameHeight}`,
          decodedSize,
          keyFrames: sum((i) => v(i, 'keyFramesEncoded')),
          encodeMsPerFrame: round((1000 * sum((i) => v(i, 'totalEncodeTime'))) / frameCount),
          encodedFps: round(frameCount / seconds / ROOMS),
          qpMean: round(sum((i) => v(i, 'qpSum')) / frameCount),
          videoKbps: round((8 * sum((i) => v(i, 'bytesSent'))) / seconds / ROOMS / 1000),
          videoPacketsPerS: round(sum((i) => v(i, 'packetsSent')) / seconds / ROOMS),
          audioKbps: round((8 * sum((i) => au(i, 'bytesSent'))) / seconds / ROOMS / 1000),
          audioPacketsPerS: round(sum((i) => au(i, 'packetsSent')) / seconds / ROOMS),
          limitation: out1[0]?.video?.limitation,
          viewerFps: round(sum((i) => in1[i]!.frames - in0[i]!.frames) / seconds / ROOMS),
          viewerFramesDropped: sum(
            (i) => (in1[i]!.inbound.video?.framesDropped ?? 0) - (in0[i]!.inbound.video?.framesDropped ?? 0),
          ),
          viewerFreezes: sum(
            (i) => (in1[i]!.inbound.video?.freezeCount ?? 0) - (in0[i]!.inbound.video?.freezeCount ?? 0),
          ),
          psnrY: round(matches.reduce((s, m) => s + m.psnrY, 0) / matches.length),
          psnrMouthY: round(matches.reduce((s, m) => s + m.psnrMouthY, 0) / matches.length),
          loadavg: loadavg().map(round),
        };
        rows.push(row);
        console.error(JSON.stringify(row));
      }
    // One source frame every setting's viewer decoded, side by side: source, then each setting.
    const common = [...(decodedBy[NAMES[0]!]?.keys() ?? [])].filter((k) =>
      NAMES.every((n) => decodedBy[n]?.has(k)),
    );
    let png: string | undefined;
    if (common.length > 0) {
      const k = common[Math.floor(common.length / 2)]!;
      png = join(PNG_DIR, `mouth-${NAMES.join('-')}.png`);
      await sideBySide(
        png,
        [[frames[k]!, ...NAMES.map((n) => decodedBy[n]!.get(k)!)]],
        width,
        height,
        MOUTH,
        4,
      );
    }
    const summary = Object.fromEntries(
      NAMES.map((name) => {
        const mine = rows.filter((r) => r.variant === name);
        const mean = (k: string) => round(mine.reduce((s, r) => s + Number(r[k]), 0) / mine.length);
        return [
          name,
          {
            tuning: VARIANTS[name] ?? name,
            totalCpuMsPerSPerSession: mean('totalCpuMsPerSPerSession'),
            encodeMsPerFrame: mean('encodeMsPerFrame'),
            videoKbps: mean('videoKbps'),
            qpMean: mean('qpMean'),
            psnrY: mean('psnrY'),
            psnrMouthY: mean('psnrMouthY'),
            viewerFps: mean('viewerFps'),
          },
        ];
      }),
    );
    console.log(
      JSON.stringify({
        machine: { loadavg: loadavg().map(round), cores: cpus().length },
        rooms: ROOMS,
        windowS: WINDOW_S,
        audio: AUDIO,
        png,
        summary,
        rows,
      }),
    );
  } finally {
    viewers.close();
    await livekit.stop();
    // libwebrtc threads can keep the process alive (and crash on a natural exit) once rooms existed.
    process.exit(0);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
