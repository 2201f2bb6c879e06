/** @module ffmpeg command lines for each container and codec the encoder supports. */
import type { PixelFormat } from '../render/renderer.js';

export type VideoCodec = 'vp8' | 'h264';
export type Container = 'webm' | 'mp4' | 'mkv' | 'ivf' | 'discard';

export interface EncodeArgsOptions {
  width: number;
  height: number;
  fps: number;
  pixelFormat: PixelFormat;
  codec: VideoCodec;
  container: Container;
  /** Output path; ignored for 'discard'. */
  path?: string;
  /** 16 kHz mono PCM16 on fd 3. */
  audio: boolean;
  audioSampleRate: number;
  /** Live: fastest settings (what a room would use). File: better quality per bit. */
  live: boolean;
  threads?: number;
  /** h264: constant rate factor (x264's default is 23; higher is smaller and cheaper to encode). */
  crf?: number;
  /** h264 live: x264 preset (default ultrafast). */
  x264Preset?: 'ultrafast' | 'superfast';
  /** h264: extra x264 settings (`key=value:key=value`). */
  x264Params?: string;
  /** AAC/Opus bitrate in kbit/s (default 96 for AAC, 64 for Opus). */
  audioKbps?: number;
  /**
   * mp4 only: fragmented (a fragment per keyframe, header first) so a file cut off by a crash still plays up to
   * its last fragment (recordings).
   */
  fragmented?: boolean;
}

export function containerOf(path: string): Container | undefined {
  const ext = path.toLowerCase().split('.').pop();
  return ext === 'webm' || ext === 'mp4' || ext === 'mkv' || ext === 'ivf' ? ext : undefined;
}

export function defaultCodec(container: Container): VideoCodec {
  return container === 'mp4' ? 'h264' : 'vp8';
}

export function buildEncodeArgs(o: EncodeArgsOptions): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1'];
  // Raw inputs are fully described by their flags. Without these ffmpeg probes each input for seconds of data
  // before it reads the next one, while the caller waits for the video pipe to drain: a deadlock.
  const rawInput = ['-probesize', '32', '-analyzeduration', '0', '-thread_queue_size', '64'];
  args.push(
    ...rawInput,
    ...['-f', 'rawvideo', '-pix_fmt', o.pixelFormat === 'rgba' ? 'rgba' : 'yuv420p'],
    ...['-s', `${o.width}x${o.height}`, '-framerate', String(o.fps), '-i', 'pipe:0'],
  );
  if (o.audio)
    args.push(...rawInput, '-f', 's16le', '-ar', String(o.audioSampleRate), '-ac', '1', '-i', 'pipe:3');
  args.push('-map', '0:v');
  if (o.audio) args.push('-map', '1:a');
  args.push(...videoCodecArgs(o));
  if (o.threads !== undefined) args.push('-threads', String(o.threads));
  if (o.audio) args.push(...audioCodecArgs(o.container, o.audioKbps));
  if (o.container === 'discard') args.push('-f', 'null', '-');
  else {
    if (o.container === 'mp4') {
      args.push('-movflags', o.fragmented ? 'frag_keyframe+empty_moov+default_base_moof' : '+faststart');
    }
    args.push('-y', o.path ?? '');
  }
  return args;
}

function videoCodecArgs(o: EncodeArgsOptions): string[] {
  const keyframeEvery = ['-g', String(o.fps * 2)];
  if (o.codec === 'vp8') {
    return o.live
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', ...keyframeEvery]
      : [
          '-c:v',
          'libvpx',
          '-deadline',
          'good',
          '-cpu-used',
          '4',
          '-crf',
          '8',
          '-b:v',
          '2M',
          ...keyframeEvery,
        ];
  }
  const preset = o.live
    ? ['-preset', o.x264Preset ?? 'ultrafast', '-tune', 'zerolatency']
    : ['-preset', 'veryfast', '-crf', '20'];
  const crf = o.crf === undefined ? [] : ['-crf', String(o.crf)];
  const params = o.x264Params ? ['-x264-params', o.x264Params] : [];
  return ['-c:v', 'libx264', ...preset, ...crf, ...params, '-pix_fmt', 'yuv420p', ...keyframeEvery];
}

function audioCodecArgs(container: Container, kbps?: number): string[] {
  if (container === 'mp4') return ['-c:a', 'aac', '-b:a', `${kbps ?? 96}k`, '-ar', '48000'];
  if (container === 'ivf') return ['-an'];
  return ['-c:a', 'libopus', '-b:a', `${kbps ?? 64}k`, '-ar', '48000'];
}
