/**
 * @module The engine parts `agenthuman render` composes, looked up by name in @agenthuman/engine. Each part
 * is checked when used, so a build that lacks one (say, no TTS) fails with a message naming it, never with
 * placeholder output.
 */
import type {
  AspectRatio,
  LipSync,
  MouthKeyframe,
  PipelineAnimator,
  RendererSpec,
  Rig,
} from '@agenthuman/engine';
import * as engine from '@agenthuman/engine';

export class MissingEnginePart extends Error {
  override readonly name = 'MissingEnginePart';
  readonly code = 'engine_part_missing';
}

interface PublicAvatar {
  loadRig(aspectRatio: AspectRatio): Promise<Rig>;
}

interface TtsResult {
  pcm: Int16Array;
  sampleRate: number;
  phonemes: unknown[];
}

const parts = engine as unknown as Record<string, unknown>;

function part<T>(name: string, purpose: string): T {
  const value = parts[name];
  if (value === undefined) {
    throw new MissingEnginePart(`${purpose} is not available: @agenthuman/engine does not export ${name}`);
  }
  return value as T;
}

export async function rigFromImage(bytes: Uint8Array, aspectRatio: AspectRatio): Promise<Rig> {
  const ingestFace = part<(b: Uint8Array, o: { aspectRatio: AspectRatio }) => Promise<{ rig: Rig }>>(
    'ingestFace',
    'face ingest (--image)',
  );
  return (await ingestFace(bytes, { aspectRatio })).rig;
}

export async function rigFromPublicAvatar(id: string, aspectRatio: AspectRatio): Promise<Rig> {
  const find = part<(slug: string) => PublicAvatar | undefined>(
    'findPublicAvatar',
    'public avatars (--avatar)',
  );
  const avatar = find(id);
  if (!avatar) {
    const known = part<{ slug: string }[]>('PUBLIC_AVATARS', 'public avatars (--avatar)').map((a) => a.slug);
    throw new Error(`unknown avatar "${id}"; public avatars: ${known.join(', ')}`);
  }
  return avatar.loadRig(aspectRatio);
}

export async function speechFromText(
  text: string,
  voice?: string,
): Promise<{ pcm: Int16Array; keyframes: MouthKeyframe[] }> {
  const Tts = part<new () => { synthesize(t: string, o?: { voice?: string }): Promise<TtsResult> }>(
    'FliteTTS',
    'text to speech (--text)',
  );
  const toKeyframes = part<(phonemes: unknown[]) => MouthKeyframe[]>(
    'keyframesFromPhonemes',
    'phoneme lip-sync (--text)',
  );
  const result = await new Tts().synthesize(text, voice ? { voice } : {});
  if (result.sampleRate !== 16_000)
    throw new Error(`TTS returned ${result.sampleRate} Hz audio; expected 16000`);
  return { pcm: result.pcm, keyframes: toKeyframes(result.phonemes) };
}

export function createAudioLipSync(): LipSync {
  const AudioLipSync = part<new () => LipSync>('AudioLipSync', 'lip-sync from audio (--audio)');
  return new AudioLipSync();
}

export function createAnimator(seed: number): PipelineAnimator {
  return part<(o: { seed: number }) => PipelineAnimator>('createAnimator', 'the animator')({ seed });
}

/** The CPU renderer, built inside a render worker from the rig (the engine names the file). */
export function cpuRendererSpec(rig: Rig): RendererSpec {
  return part<(rig: Rig) => RendererSpec>('cpuRendererSpec', 'the CPU renderer')(rig);
}
