/** @module `agenthuman render`: a photo or public avatar speaking a WAV or text, written to .webm or .mp4. */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  decodeAudioFile,
  FfmpegEncoder,
  type LipSync,
  type MouthKeyframe,
  RenderWorkerPool,
  type Rig,
  SessionPipeline,
  type VideoFrame,
} from '@agenthuman/engine';
import { parseRenderArgs, type RenderArgs, renderUsage, runRenderMode } from './render-args.js';
import {
  cpuRendererSpec,
  createAnimator,
  createAudioLipSync,
  rigFromImage,
  rigFromPublicAvatar,
  speechFromText,
} from './render-engine-parts.js';
import { runSheet, wantsSheet } from './render-sheet.js';

export const summary = 'render a talking avatar to .webm/.mp4 from a photo or avatar and audio or text';

/** Idle frames before and after the speech, so the file opens and closes on a face at rest. */
const LEAD_IN_MS = 200;
const TAIL_MS = 400;

export async function run(argv: string[]): Promise<number> {
  if (wantsSheet(argv)) return runSheet(argv);
  return runRenderMode(argv, {
    parse: parseRenderArgs,
    usage: renderUsage,
    async run(args) {
      const started = performance.now();
      const result = await render(args);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${args.out}: ${result.frames} frames (${(result.frames / 25).toFixed(1)} s) at ${result.width}×${result.height}, ` +
          `rendered in ${seconds.toFixed(1)} s`,
      );
    },
  });
}

async function render(args: RenderArgs): Promise<{ frames: number; width: number; height: number }> {
  const rig = await loadRig(args);
  const speech = await loadSpeech(args);
  const pool = new RenderWorkerPool({ size: 1 });
  let encoder: FfmpegEncoder | undefined;
  let session: SessionPipeline | undefined;
  try {
    session = await SessionPipeline.start({
      renderer: cpuRendererSpec(rig),
      animator: createAnimator(1),
      lipSync: speech.lipSync,
      pool,
      realtime: false,
    });
    encoder = new FfmpegEncoder({ width: session.width, height: session.height, output: args.out });
    const live = session;
    const speechFrames = Math.ceil(speech.pcm.length / 640);
    const leadIn = Math.round(LEAD_IN_MS / 40);
    const total = leadIn + speechFrames + Math.round(TAIL_MS / 40);
    let frames = 0;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    // Counts frames as they reach the encoder: speech starts after the lead-in, the file ends after the tail.
    const counter = {
      writeVideo: (_frame: VideoFrame) => {
        frames++;
        if (frames === leadIn) {
          live.pushAudio(speech.pcm, { keyframes: speech.keyframes });
          live.endSegment();
        }
        if (frames === total) finished();
      },
    };
    session.attach({ video: encoder, audio: encoder });
    session.attach({ video: counter });
    await done;
    await session.close();
    await encoder.close();
    return { frames, width: session.width, height: session.height };
  } finally {
    await session?.close();
    if (encoder) await encoder.close().catch(() => undefined);
    await pool.close();
  }
}

async function loadRig(args: RenderArgs): Promise<Rig> {
  if ('avatar' in args.face) return rigFromPublicAvatar(args.face.avatar, args.aspect);
  const bytes = await readFile(args.face.image).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot read --image ${args.face && 'image' in args.face ? args.face.image : ''}: ${error.code ?? error.message}`,
    );
  });
  return rigFromImage(new Uint8Array(bytes), args.aspect);
}

async function loadSpeech(
  args: RenderArgs,
): Promise<{ pcm: Int16Array; keyframes?: MouthKeyframe[]; lipSync?: LipSync }> {
  if ('text' in args.speech) return speechFromText(args.speech.text, args.speech.voice);
  return { pcm: await decodeAudioFile(args.speech.audio), lipSync: createAudioLipSync() };
}
