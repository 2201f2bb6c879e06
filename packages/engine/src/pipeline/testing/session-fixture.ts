// Test helper for the SessionPipeline tests: a pipeline on the solid-colour renderer whose sinks record what
// they get, numbered speech and keyframes that say which frame they are, and small waits.
import { type MouthKeyframe, restMouth } from '../../animation/params.js';
import type { VideoFrame } from '../../render/renderer.js';
import type { RenderWorkerPool } from '../../workers/render-worker-pool.js';
import type { AudioChunk } from '../ports.js';
import { SessionPipeline, type SessionPipelineOptions } from '../session-pipeline.js';
import type { SpeakingStarted, SpeakingStopped } from '../speech-processor.js';
import { createEasingTestAnimator } from './easing-test-animator.js';
import { solidColourRendererSpec } from './solid-colour-renderer.js';

const sessions: SessionPipeline[] = [];
export const pools: RenderWorkerPool[] = [];
/** Closes what the last test started (call from afterEach). */
export async function closeStarted(): Promise<void> {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(pools.splice(0).map((p) => p.close()));
}

export interface Recorded {
  video: VideoFrame[];
  audio: AudioChunk[];
  started: SpeakingStarted[];
  stopped: SpeakingStopped[];
}

export async function startSession(options: Partial<SessionPipelineOptions> = {}) {
  const out: Recorded = { video: [], audio: [], started: [], stopped: [] };
  const session = await SessionPipeline.start({
    renderer: solidColourRendererSpec({ width: 32, height: 24 }),
    animator: createEasingTestAnimator({ ease: 1 }),
    videoSinks: [{ writeVideo: (frame) => void out.video.push(frame) }],
    audioSinks: [{ writeAudio: (chunk) => void out.audio.push(chunk) }],
    ...options,
  });
  session.on('speaking.started', (e) => out.started.push(e));
  session.on('speaking.stopped', (e) => out.stopped.push(e));
  sessions.push(session);
  return { session, out };
}

/** n frames of speech; every sample of frame k holds k + 1, so the audio says which frame it is. */
export function numberedSpeech(frames: number): Int16Array {
  const pcm = new Int16Array(frames * 640);
  for (let k = 0; k < frames; k++) pcm.fill(k + 1, k * 640, (k + 1) * 640);
  return pcm;
}

/** Keyframe k opens the jaw to a value that identifies k. */
export function numberedKeyframes(frames: number): MouthKeyframe[] {
  return Array.from({ length: frames }, (_, k) => ({
    ...restMouth,
    jawOpen: ((k % 9) + 1) / 10,
    ptsMs: k * 40,
  }));
}

export const waitFor = async (predicate: () => boolean, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();
