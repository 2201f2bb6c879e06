/**
 * @module Test helper: reads an MP4 back with Debian's ffprobe/ffmpeg (a different build from the one that
 * wrote it, so "it plays" means something) and finds A/V sync markers in the decoded streams: a bright video
 * frame (a flash) and the onset of a loud sound (a click), each on the file's own timeline.
 */
import { spawnSync } from 'node:child_process';

export const DEBIAN_FFPROBE = '/usr/bin/ffprobe';
export const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';

export interface ProbedRecording {
  formatDurationS: number;
  streams: { codec_type: string; codec_name: string; start_time?: string; duration?: string }[];
  /** Decoded video frames: presentation time (s) and mean luma (0–255) of each. */
  videoTimesS: number[];
  videoLuma: number[];
  /** Decoded audio at 16 kHz mono, and the time (s) of its first sample. */
  audio: Int16Array;
  audioStartS: number;
}

function run(binary: string, args: string[], maxBuffer = 512 * 1024 * 1024): Buffer {
  const result = spawnSync(binary, args, { maxBuffer });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed: ${result.stderr?.toString().slice(-800)}`);
  }
  return result.stdout;
}

export function probeRecording(path: string): ProbedRecording {
  const info = JSON.parse(
    run(DEBIAN_FFPROBE, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]).toString(),
  ) as { format: { duration: string }; streams: ProbedRecording['streams'] };
  const frames = JSON.parse(
    run(DEBIAN_FFPROBE, [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'frame=pts_time',
      '-of',
      'json',
      path,
    ]).toString(),
  ) as { frames: { pts_time: string }[] };
  const side = 8;
  const gray = run(DEBIAN_FFMPEG, [
    ...['-v', 'error', '-i', path, '-map', '0:v:0', '-fps_mode', 'passthrough'],
    ...['-vf', `scale=${side}:${side}`, '-pix_fmt', 'gray', '-f', 'rawvideo', '-'],
  ]);
  const videoLuma: number[] = [];
  for (let at = 0; at + side * side <= gray.length; at += side * side) {
    let sum = 0;
    for (let i = at; i < at + side * side; i++) sum += gray[i]!;
    videoLuma.push(sum / (side * side));
  }
  const pcm = run(DEBIAN_FFMPEG, [
    ...['-v', 'error', '-i', path, '-map', '0:a:0', '-ac', '1', '-ar', '16000', '-f', 's16le', '-'],
  ]);
  const audioStream = info.streams.find((stream) => stream.codec_type === 'audio');
  return {
    formatDurationS: Number(info.format.duration),
    streams: info.streams,
    videoTimesS: frames.frames.map((frame) => Number(frame.pts_time)),
    videoLuma,
    audio: new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1),
    audioStartS: Number(audioStream?.start_time ?? 0),
  };
}

/** Times (s) where the luma jumps above `threshold` after being below it. */
export function flashTimes(probe: ProbedRecording, threshold = 128): number[] {
  const times: number[] = [];
  for (let i = 0; i < probe.videoLuma.length; i++) {
    const before = i === 0 ? 0 : probe.videoLuma[i - 1]!;
    if (probe.videoLuma[i]! >= threshold && before < threshold) times.push(probe.videoTimesS[i]!);
  }
  return times;
}

/**
 * Onsets (s) of sounds after at least `quietMs` below `level`: the first sample whose magnitude reaches it.
 */
export function clickTimes(
  pcm: Int16Array,
  startS: number,
  options: { sampleRate?: number; level?: number; quietMs?: number } = {},
): number[] {
  const rate = options.sampleRate ?? 16_000;
  const level = options.level ?? 8000;
  const quiet = Math.round(((options.quietMs ?? 200) * rate) / 1000);
  const times: number[] = [];
  let lastLoud = -Infinity;
  for (let i = 0; i < pcm.length; i++) {
    if (Math.abs(pcm[i]!) < level) continue;
    if (i - lastLoud > quiet) times.push(startS + i / rate);
    lastLoud = i;
  }
  return times;
}

/**
 * Where pts 0 of the recorded session sits on the file's timeline: frame n plays at zero + n·40 ms. (ffmpeg
 * shifts every stream by the AAC encoder's priming, 1024 samples, except the very first video frame, which it
 * stretches back to 0; the median over frames reads through that.)
 */
export function fileZeroS(probe: ProbedRecording, frameS = 0.04): number {
  const zeros = probe.videoTimesS.map((time, n) => time - n * frameS).sort((a, b) => a - b);
  return zeros[zeros.length >> 1] ?? 0;
}
