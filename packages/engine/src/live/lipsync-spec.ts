/**
 * @module A live avatar's audio-only lip-sync, built inside its render worker (beside the renderer) so the model
 * runs off the main thread. The spec names this module's factory; the worker imports it and calls it.
 */
import { AudioLipSync, type AudioLipSyncOptions } from '../lipsync/audio-lipsync.js';
import type { RendererSpec } from '../workers/renderer-spec.js';

const LIPSYNC_MODULE = new URL('./lipsync-spec.ts', import.meta.url).href;

/** Runs in the worker: the same AudioLipSync the main thread would run, with the same options. */
export function createAudioLipSync(options: Pick<AudioLipSyncOptions, 'frameMs'> = {}): AudioLipSync {
  return new AudioLipSync(options);
}

/** The default lip-sync of live avatars: the fitted AudioLipSync, on the session's render worker. */
export function audioLipSyncSpec(options: Pick<AudioLipSyncOptions, 'frameMs'> = {}): RendererSpec {
  return { module: LIPSYNC_MODULE, export: 'createAudioLipSync', options };
}
