// bench:record-encode — what a recording's ffmpeg costs per second of session, for the recorder's settings and
// the alternatives weighed for it: 10 s of a talking avatar (the CPU renderer, speech with pauses, I420 640×480,
// drawn once up front) and its audio go through the FfmpegEncoder as SessionRecorder opens it, as fast as ffmpeg
// takes them. CPU is the ffmpeg child's (from /proc, read once its input is drained), so other load on the
// machine stretches the run but hardly the figure. `psnr_y`: luma PSNR (dB) of the first 125 decoded frames
// against what went in (Debian's ffmpeg). Prints one JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnimator, type MouthParams } from '@agenthuman/engine/animation';
import { findPublicAvatar } from '@agenthuman/engine/avatars';
import { FfmpegEncoder, type FfmpegEncoderOptions } from '@agenthuman/engine/encode';
import { createCpuRenderer } from '@agenthuman/engine/render';
import { sleep, syntheticSpeech } from './engine-setup.js';
import { processTicks } from './process-cpu.js';

const SECONDS = Number(process.env.BENCH_RECORD_SECONDS ?? 10);
const FRAMES = SECONDS * 25;
/** Distinct frames drawn (then looped): keeps memory at ~60 MB. */
const DRAWN = Math.min(FRAMES, 125);

const mouth = (i: number): MouthParams | null =>
  i % 105 < 75
    ? {
        jawOpen: Math.abs(Math.sin(i * 0.55)) * (0.6 + 0.4 * Math.sin(i * 0.13)),
        mouthWidth: 0.5 + 0.35 * Math.sin(i * 0.21),
        mouthRound: Math.max(0, Math.sin(i * 0.17)) * 0.8,
        upperLip: 0.2 * Math.max(0, Math.sin(i * 0.4)),
        lowerLip: i % 23 < 2 ? 1 : 0,
      }
    : null;

const rig = await findPublicAvatar('eileen')!.loadRig('4:3');
const renderer = createCpuRenderer(rig);
const animator = createAnimator({ seed: 1 });
const frames = Array.from({ length: DRAWN }, (_, i) => {
  const frame = renderer.render(animator.step(i * 40, mouth(i)), i * 40, 'i420');
  return new Uint8Array(frame.data);
});
renderer.close();
const speech = syntheticSpeech(SECONDS);
const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));

type Setting = { name: string } & Partial<FfmpegEncoderOptions>;
const SETTINGS: Setting[] = [
  { name: 'ultrafast crf23 aac96 (first)', audioKbps: 96 },
  { name: 'ultrafast crf28 aac64 (before)', crf: 28, audioKbps: 64 },
  { name: 'ultrafast crf30 aac64', crf: 30, audioKbps: 64 },
  { name: 'superfast crf28 aac64', crf: 28, audioKbps: 64, x264Preset: 'superfast' },
  {
    name: 'superfast subme=0 crf28 aac64 (recorder)',
    crf: 28,
    audioKbps: 64,
    x264Preset: 'superfast',
    x264Params: 'subme=0',
  },
  { name: 'superfast crf30 aac64', crf: 30, audioKbps: 64, x264Preset: 'superfast' },
];
const source = join(dir, 'source.yuv');
writeFileSync(source, Buffer.concat(frames));

/** Luma PSNR of the file's first DRAWN frames against the drawn ones, frame by frame (by index, not time). */
function psnrY(output: string): number {
  const byIndex = 'settb=1/25,setpts=N';
  const result = spawnSync('/usr/bin/ffmpeg', [
    ...['-v', 'info', '-nostats', '-i', output],
    ...['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '640x480', '-framerate', '25', '-i', source],
    ...['-lavfi', `[0:v]${byIndex}[a];[1:v]${byIndex}[b];[a][b]psnr`, '-frames:v', String(DRAWN)],
    ...['-f', 'null', '-'],
  ]);
  const match = /PSNR y:([\d.]+)/.exec(result.stderr.toString());
  return match ? Number(Number(match[1]).toFixed(2)) : Number.NaN;
}

async function encode(setting: Setting): Promise<Record<string, number | string>> {
  const output = join(dir, `${setting.name.replace(/\W+/g, '-')}.mp4`);
  const { name, ...options } = setting;
  const encoder = new FfmpegEncoder({
    width: 640,
    height: 480,
    pixelFormat: 'i420',
    output,
    audio: true,
    live: true,
    threads: 1,
    fragmented: true,
    ...options,
  });
  for (let i = 0; i < FRAMES; i++) {
    await encoder.writeAudio({
      pcm: speech.subarray(i * 640, (i + 1) * 640),
      sampleRate: 16_000,
      ptsMs: i * 40,
    });
    await encoder.writeVideo({
      width: 640,
      height: 480,
      format: 'i420',
      data: frames[i % DRAWN]!,
      ptsMs: i * 40,
    });
  }
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (encoder.stats.framesEncoded >= FRAMES - 5 && encoder.stats.backlogBytes === 0) break;
    await sleep(50);
  }
  const cpuMs = processTicks(encoder.pid!) * 10;
  await encoder.close();
  return {
    setting: name,
    ffmpeg_cpu_ms_per_session_s: Math.round((cpuMs / SECONDS) * 10) / 10,
    file_kbps: Math.round((statSync(output).size * 8) / SECONDS / 1000),
    psnr_y: psnrY(output),
  };
}

const results = [];
for (const setting of SETTINGS) results.push(await encode(setting));
rmSync(dir, { recursive: true, force: true });
for (const r of results) console.log(JSON.stringify(r));
console.log(
  JSON.stringify({ seconds: SECONDS, results, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) }),
);
