// The parts bench:engine measures: the real renderer, animator and lip-sync when the engine exports them,
// otherwise the pipeline's test doubles (the JSON says which, so figures are never mistaken for the real ones).
import * as engine from '@agenthuman/engine';
import {
  type LipSync,
  type MouthKeyframe,
  type PipelineAnimator,
  type Renderer,
  type RendererSpec,
  type Rig,
  restMouth,
} from '@agenthuman/engine';
import { createEasingTestAnimator, solidColourRendererSpec } from '@agenthuman/engine/testing';

export interface BenchParts {
  renderer: string;
  spec: RendererSpec;
  animator: () => PipelineAnimator;
  lipSync: (() => LipSync) | undefined;
}

const parts = engine as unknown as Record<string, unknown>;

/** `--renderer test` forces the test double; otherwise the CPU renderer on the first public avatar if present. */
export async function chooseParts(argv: string[]): Promise<BenchParts> {
  const animator =
    typeof parts.createAnimator === 'function'
      ? () => (parts.createAnimator as (o: { seed: number }) => PipelineAnimator)({ seed: 1 })
      : () => createEasingTestAnimator();
  const AudioLipSync = parts.AudioLipSync as (new () => LipSync) | undefined;
  const lipSync = AudioLipSync ? () => new AudioLipSync() : undefined;
  const cpuRendererSpec = parts.cpuRendererSpec as ((rig: Rig) => RendererSpec) | undefined;
  const avatars = parts.PUBLIC_AVATARS as { slug: string; loadRig(a: string): Promise<Rig> }[] | undefined;
  if (!argv.includes('--renderer=test') && cpuRendererSpec && avatars?.[0]) {
    const rig = await avatars[0].loadRig('4:3');
    return {
      renderer: `cpu mesh-warp (${avatars[0].slug})`,
      spec: cpuRendererSpec(rig),
      animator,
      lipSync,
    };
  }
  return {
    renderer: 'solid-colour test double (textured), not the avatar renderer',
    spec: solidColourRendererSpec({ width: 640, height: 480, textured: true }),
    animator,
    lipSync,
  };
}

export async function buildInProcess(spec: RendererSpec): Promise<Renderer> {
  const module = (await import(spec.module)) as Record<
    string,
    (options: unknown) => Renderer | Promise<Renderer>
  >;
  return module[spec.export]!(spec.options);
}

/** Voiced speech stand-in: 140 Hz harmonics under a 4 Hz syllable envelope, with short pauses. */
export function syntheticSpeech(seconds: number, seed = 1): Int16Array {
  const pcm = new Int16Array(Math.round(seconds * 16_000));
  for (let i = 0; i < pcm.length; i++) {
    const t = i / 16_000;
    const envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t + seed)) ** 2 * (t % 1.5 < 1.3 ? 1 : 0);
    const voice =
      Math.sin(2 * Math.PI * 140 * t) +
      0.5 * Math.sin(2 * Math.PI * 280 * t) +
      0.3 * Math.sin(2 * Math.PI * 700 * t);
    pcm[i] = Math.round(envelope * voice * 9000);
  }
  return pcm;
}

/** Keyframes following the synthetic speech envelope, for runs without an audio lip-sync. */
export function envelopeKeyframes(pcm: Int16Array): MouthKeyframe[] {
  const keyframes: MouthKeyframe[] = [];
  for (let k = 0; k * 640 < pcm.length; k++) {
    let sum = 0;
    const frame = pcm.subarray(k * 640, (k + 1) * 640);
    for (const s of frame) sum += Math.abs(s);
    keyframes.push({ ...restMouth, jawOpen: Math.min(1, sum / frame.length / 5000), ptsMs: k * 40 });
  }
  return keyframes;
}

export { percentile } from './stats.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
