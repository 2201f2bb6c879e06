// The recorder as a live session uses it: one more sink of a running LiveAvatar (real pipeline, media clock and
// render worker), next to a FAKE room sink that notes what the session published. Each speech segment starts
// with a click whose frame is a flash (the FAKE lip-sync opens the jaw fully on every loud frame, the
// solid-colour renderer paints jawOpen as luma), so the published pts of both are known; Debian's
// ffprobe/ffmpeg then find the flash and the click in the file and their offset must match what was published.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MouthKeyframe } from '@agenthuman/engine/animation';
import {
  type AudioChunk,
  type AudioSink,
  LiveAvatar,
  type VideoFrame,
  type VideoSink,
} from '@agenthuman/engine/live';
import type { LipSync } from '@agenthuman/engine/pipeline';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import {
  clickTimes,
  createEasingTestAnimator,
  fileZeroS,
  flashTimes,
  probeRecording,
  solidColourRendererSpec,
} from '@agenthuman/engine/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionRecorder } from './session-recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'recorder-'));
const pool = new RenderWorkerPool({ size: 1 });
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** FAKE lip-sync: every 40 ms frame with a loud sample opens the jaw fully, every other frame closes it. */
class LoudFrameLipSync implements LipSync {
  #frame = 0;
  #partial: number[] = [];
  push(pcm: Int16Array): MouthKeyframe[] {
    const out: MouthKeyframe[] = [];
    for (const sample of pcm) {
      this.#partial.push(sample);
      if (this.#partial.length === 640) out.push(this.#keyframe());
    }
    return out;
  }
  flush(): MouthKeyframe[] {
    return this.#partial.length > 0 ? [this.#keyframe()] : [];
  }
  reset(): void {
    this.#frame = 0;
    this.#partial = [];
  }
  #keyframe(): MouthKeyframe {
    const loud = this.#partial.some((sample) => Math.abs(sample) > 8000);
    this.#partial = [];
    const open = loud ? 1 : 0;
    return {
      ptsMs: this.#frame++ * 40,
      jawOpen: open,
      mouthWidth: 0.5,
      mouthRound: 0,
      upperLip: 0,
      lowerLip: 0,
    };
  }
}

/** FAKE room sink: what the session published, as pts of flash frames and click onsets. */
class PublishedTap implements VideoSink, AudioSink {
  readonly flashes: number[] = [];
  readonly clicks: number[] = [];
  firstPts: number | undefined;
  lastVideoPts = 0;
  #bright = false;
  #loudUntil = -Infinity;
  writeVideo(frame: VideoFrame): void {
    this.firstPts ??= frame.ptsMs;
    this.lastVideoPts = frame.ptsMs;
    const bright = frame.data[0]! > 128;
    if (bright && !this.#bright) this.flashes.push(frame.ptsMs);
    this.#bright = bright;
  }
  writeAudio(chunk: AudioChunk): void {
    chunk.pcm.forEach((sample, i) => {
      if (Math.abs(sample) < 8000) return;
      const at = chunk.ptsMs + i / 16;
      if (at - this.#loudUntil > 200) this.clicks.push(at);
      this.#loudUntil = at;
    });
  }
}

/** A click: 120 ms of a loud 500 Hz square wave (the first sample is at full level). */
const click = () =>
  Int16Array.from({ length: 1920 }, (_, i) => (Math.floor(i / 16) % 2 === 0 ? 20000 : -20000));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SessionRecorder', () => {
  it('records a 30 s session as a fragmented MP4 whose audio and video keep the published sync', async () => {
    const output = join(dir, 'session.mp4');
    const tap = new PublishedTap();
    const recorder = new SessionRecorder({ output });
    const avatar = await LiveAvatar.start({
      avatar: { spec: solidColourRendererSpec({ width: 320, height: 240 }), seed: 1 },
      pool,
      lipSync: new LoudFrameLipSync(),
      animator: createEasingTestAnimator({ ease: 1 }),
      video: [tap, recorder],
      audio: [tap, recorder],
    });
    try {
      await sleep(700);
      for (let i = 0; i < 10; i++) {
        // Clicks 2.9 s apart: each lands on a different phase of the 40 ms frame grid.
        avatar.speak(click());
        await sleep(2900);
      }
    } finally {
      await avatar.close();
    }
    const result = await recorder.stop();
    expect(result.recorded).toBe(true);
    expect(result.framesDropped).toBe(0);
    const published = tap.lastVideoPts + 40 - tap.firstPts!;
    expect(result.durationMs).toBeGreaterThanOrEqual(published);
    expect(result.durationMs - published).toBeLessThanOrEqual(40);

    const probe = probeRecording(output);
    expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual([
      'audio:aac',
      'video:h264',
    ]);
    expect(Math.abs(probe.formatDurationS - published / 1000)).toBeLessThanOrEqual(0.2);
    // The x264 settings the recording's cost was measured with (x264 writes them into the first keyframe).
    const x264 = /x264 - core [ -~]*/.exec(readFileSync(output).toString('latin1'))?.[0] ?? '';
    expect(x264).toMatch(/ cabac=1 .* subme=0 .* crf=28\.0/);
    expect(tap.flashes).toHaveLength(10);
    expect(tap.clicks).toHaveLength(10);
    const flashes = flashTimes(probe);
    const clicks = clickTimes(probe.audio, probe.audioStartS);
    expect(flashes).toHaveLength(10);
    expect(clicks).toHaveLength(10);
    const offsets = flashes.map((flash, i) => {
      const inFile = (clicks[i]! - flash) * 1000;
      const inSession = tap.clicks[i]! - tap.flashes[i]!;
      return Math.round((inFile - inSession) * 10) / 10;
    });
    console.log(
      `recording ${probe.formatDurationS.toFixed(3)} s (published ${published} ms), ` +
        `A/V offset per marker vs the live stream: ${offsets.join(', ')} ms`,
    );
    for (const offset of offsets) expect(Math.abs(offset)).toBeLessThanOrEqual(40);
    // The flash is where the session showed it: frame n of the file is the frame published at start + 40·n.
    const fileStart = fileZeroS(probe);
    const placement = flashes.map(
      (flash, i) => (flash - fileStart) * 1000 - (tap.flashes[i]! - tap.firstPts!),
    );
    for (const error of placement) expect(Math.abs(error)).toBeLessThanOrEqual(1);
  }, 90_000);

  it('leaves a playable file when ffmpeg is killed mid-recording (a crash)', async () => {
    const output = join(dir, 'crash.mp4');
    const recorder = new SessionRecorder({ output });
    const avatar = await LiveAvatar.start({
      avatar: { spec: solidColourRendererSpec({ width: 160, height: 120, textured: true }), seed: 1 },
      pool,
      video: recorder,
      audio: recorder,
    });
    try {
      await sleep(5000);
      recorder.kill();
    } finally {
      await avatar.close();
    }
    expect(existsSync(output) && statSync(output).size > 0).toBe(true);
    const probe = probeRecording(output);
    // Fragments are cut at keyframes (every 2 s): what was written before the kill plays.
    expect(probe.formatDurationS).toBeGreaterThan(1.5);
    expect(probe.videoTimesS.length).toBeGreaterThan(40);
  }, 30_000);

  it('never makes the pipeline wait and counts the frames it drops when ffmpeg falls behind', async () => {
    const recorder = new SessionRecorder({ output: join(dir, 'slow.mp4'), dropBacklogMs: 0 });
    const width = 320;
    const height = 240;
    let recycled = 0;
    for (let i = 0; i < 100; i++) {
      const pts = i * 40;
      expect(
        recorder.writeAudio({ pcm: new Int16Array(640), sampleRate: 16000, ptsMs: pts }),
      ).toBeUndefined();
      const data = new Uint8Array(width * height * 1.5).fill(i);
      const recycle = () => recycled++;
      const frame = { width, height, format: 'i420' as const, data, ptsMs: pts, transferred: true, recycle };
      expect(recorder.writeVideo(frame)).toBeUndefined();
    }
    // 100 frames (4 s) written in a few ms: ffmpeg, on another thread's pipe, cannot have taken most of them, so
    // they were dropped (and counted).
    expect(recorder.stats.framesDropped + recorder.stats.videoFrames).toBe(100);
    expect(recorder.stats.framesDropped).toBeGreaterThan(50);
    // Taken frames were copied for the encoder thread: every buffer went back to its producer at once.
    expect(recycled).toBe(100);
    const result = await recorder.stop();
    const probe = probeRecording(result.output);
    // The file keeps its timing: dropped frames are repeats of the last one taken.
    expect(Math.abs(probe.formatDurationS - 4)).toBeLessThanOrEqual(0.2);
  }, 30_000);

  it('fails the recording, never the stream, when ffmpeg takes nothing for 10 s of media', async () => {
    const failures: Error[] = [];
    const recorder = new SessionRecorder({
      output: join(dir, 'stuck.mp4'),
      onFailed: (error) => failures.push(error),
    });
    const width = 320;
    const height = 240;
    const data = new Uint8Array(width * height * 1.5);
    const write = (i: number) => {
      recorder.writeAudio({ pcm: new Int16Array(640), sampleRate: 16000, ptsMs: i * 40 });
      expect(recorder.writeVideo({ width, height, format: 'i420', data, ptsMs: i * 40 })).toBeUndefined();
    };
    write(0);
    for (let waited = 0; recorder.pid === undefined && waited < 10_000; waited += 20) await sleep(20);
    // ffmpeg stuck (stopped): it takes nothing more while 12 s of media are written.
    process.kill(recorder.pid!, 'SIGSTOP');
    try {
      for (let i = 1; i < 300; i++) write(i);
      // The encoder thread reports what it took on its own schedule; on a loaded machine that report can trail the
      // writes, so media keeps coming (as it would from a live session) until the recording gives up, for at most
      // another 8 s of media.
      for (let i = 300; failures.length === 0 && i < 500; i++) {
        await sleep(5);
        write(i);
      }
      expect(failures).toHaveLength(1);
      expect(failures[0]!.message).toContain('fell more than 10 s behind');
      expect(recorder.failure?.code).toBe('ENCODER_FAILED');
      // What it took: the frames its slots hold (0.5 s' worth) and what the pipes took before they filled.
      expect(recorder.stats.videoFrames).toBeLessThanOrEqual(20);
      await expect(recorder.stop()).rejects.toMatchObject({ code: 'ENCODER_FAILED' });
    } finally {
      // The failure killed it (SIGKILL ends a stopped process); this is for a test that failed before that.
      try {
        process.kill(recorder.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }, 30_000);
});
