import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLiveError } from '../pipeline/live-error.js';
import { resolveFfmpegPath } from './ffmpeg-binary.js';
import { FfmpegEncoder } from './ffmpeg-encoder.js';

const dir = mkdtempSync(join(tmpdir(), 'encode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Decodes a file with the same ffmpeg and returns its stream lines and decoded frame count. */
function probe(path: string): { streams: string; frames: number; seconds: number } {
  const result = spawnSync(resolveFfmpegPath(), ['-hide_banner', '-i', path, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const streams = result.stderr
    .split('\n')
    .filter((line) => line.includes('Stream #0'))
    .join('\n');
  const summary = result.stderr.slice(result.stderr.lastIndexOf('frame='));
  const frames = Number(/frame=\s*(\d+)/.exec(summary)?.[1] ?? 0);
  const time = /time=(\d+):(\d+):([\d.]+)/.exec(summary);
  const seconds = time ? Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]) : 0;
  return { streams, frames, seconds };
}

async function encode(output: string, frames: number, skip: number[] = []) {
  const width = 160;
  const height = 120;
  const encoder = new FfmpegEncoder({ width, height, output });
  for (let i = 0; i < frames; i++) {
    await encoder.writeAudio({
      pcm: new Int16Array(640).fill((i % 20) * 500),
      sampleRate: 16000,
      ptsMs: i * 40,
    });
    if (skip.includes(i)) continue;
    const data = new Uint8Array(width * height * 1.5).fill((i * 5) % 256);
    await encoder.writeVideo({ width, height, format: 'i420', data, ptsMs: i * 40 });
  }
  return encoder.close();
}

describe('FfmpegEncoder', () => {
  it('writes a .webm with VP8 video and Opus audio of the right length', async () => {
    const path = join(dir, 'out.webm');
    const stats = await encode(path, 50);
    expect(stats.framesEncoded).toBe(50);
    const { streams, frames, seconds } = probe(path);
    expect(streams).toMatch(/Video: vp8/);
    expect(streams).toMatch(/Audio: opus/);
    expect(frames).toBe(50);
    expect(seconds).toBeGreaterThan(1.9);
  });

  it('writes a .mp4 with H.264 and AAC, repeating frames over pts gaps to keep timing', async () => {
    const path = join(dir, 'out.mp4');
    const stats = await encode(path, 50, [10, 11, 30]);
    expect(stats.framesRepeated).toBe(3);
    const { streams, frames } = probe(path);
    expect(streams).toMatch(/Video: h264/);
    expect(streams).toMatch(/Audio: aac/);
    expect(frames).toBe(50);
  });

  it('hands each frame buffer back once ffmpeg has it, keeping the last one to repeat over gaps', async () => {
    const path = join(dir, 'recycled.mp4');
    const [width, height] = [160, 120];
    const encoder = new FfmpegEncoder({ width, height, output: path, live: true, threads: 1, crf: 28 });
    const recycled: number[] = [];
    const skip = [10, 11, 30];
    for (let i = 0; i < 50; i++) {
      await encoder.writeAudio({ pcm: new Int16Array(640), sampleRate: 16000, ptsMs: i * 40 });
      if (skip.includes(i)) continue;
      const data = new Uint8Array(width * height * 1.5).fill(40 + i * 4);
      const recycle = () => {
        recycled.push(i);
        // What the producer does with a buffer it got back: draws another frame into it.
        data.fill(255);
      };
      await encoder.writeVideo({
        width,
        height,
        format: 'i420',
        data,
        ptsMs: i * 40,
        transferred: true,
        recycle,
      });
    }
    await encoder.close();
    const written = [...Array(50).keys()].filter((i) => !skip.includes(i));
    // All but the last (kept to repeat over a later gap) went back, each once.
    expect(recycled.sort((a, b) => a - b)).toEqual(written.slice(0, -1));
    // No frame (nor a repeat over a gap) was read after its buffer went back: the file has the drawn levels.
    const decoded = spawnSync(
      resolveFfmpegPath(),
      ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ).stdout;
    const size = width * height * 1.5;
    expect(decoded.length).toBe(50 * size);
    for (let i = 0; i < 50; i++) {
      const shown = skip.includes(i) ? i - (i === 11 ? 2 : 1) : i;
      // The middle of the luma plane.
      expect(Math.abs(decoded[i * size + (width * height) / 2]! - (40 + shown * 4))).toBeLessThan(4);
    }
  });

  it('rejects an output it cannot write with ENCODER_FAILED', () => {
    let error: unknown;
    try {
      new FfmpegEncoder({ width: 16, height: 16, output: join(dir, 'out.gif') });
    } catch (caught) {
      error = caught;
    }
    expect(isLiveError(error, 'ENCODER_FAILED')).toBe(true);
    expect(String(error)).toMatch(/\.webm, \.mp4/);
  });

  it('reports ffmpeg failing to open the output as ENCODER_FAILED', async () => {
    const encoder = new FfmpegEncoder({
      width: 16,
      height: 16,
      output: join(dir, 'missing', 'dir', 'out.webm'),
    });
    const error = await encoder.close().catch((e: unknown) => e);
    expect(isLiveError(error, 'ENCODER_FAILED')).toBe(true);
    expect(String(error)).toMatch(/No such file or directory/);
  });
});
