/**
 * @module Warms the public avatars at start-up, on the render workers: each worker builds every public avatar's rig
 * (from committed landmarks, ~0.3 s a photo) and, for the avatars whose caches a thread keeps while no session
 * uses them (the first `KEEP_UNUSED_AVATARS` of the catalog, the default among them), draws the whole idle loop
 * and the head poses of speech, listening and thinking and of the blends between them once into its cache (2–4 s
 * per avatar), so their first session opens its lane at once, idles on buffer copies and nods and blends on cached
 * heads. Drawing the others was thrown
 * away: a thread evicts all but the last few unused avatars, so they draw their poses on first use, as a user
 * avatar does. Every thread also draws a throwaway reply on each avatar (speech frames, and audio through the
 * lip-sync on the drawn ones: speaking-warmup.ts), so no session's first reply runs the speaking path cold.
 * Sessions that start meanwhile are not blocked: they render their idle frames live, filling the same cache.
 */
import { createAnimator } from '../animation/animator.js';
import { warmupPoses } from '../animation/warmup-poses.js';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import type { AspectRatio } from '../face/rig.js';
import { liveDefaults } from '../pipeline/live-defaults.js';
import { KEEP_UNUSED_AVATARS } from '../render/rig-data.js';
import type { RenderWorkerPool } from '../workers/render-worker-pool.js';
import { audioLipSyncSpec } from './lipsync-spec.js';
import { publicAvatarRenderer } from './renderer-spec.js';
import { warmSpeakingPath } from './speaking-warmup.js';

export type WarmupReport = {
  avatars: number;
  /** Avatars whose poses were drawn into the workers' caches (the others only had their rigs built). */
  drawn: number;
  lanes: number;
  /** Throwaway speech frames drawn and lip-sync steps run, over all threads (speaking-warmup.ts). */
  speechFrames: number;
  lipSyncSteps: number;
  ms: number;
  failures: string[];
};

/** The idle loop length the animator uses by default (160 frames = 6.4 s at 25 fps). */
const IDLE_LOOP_FRAMES = 160;
/**
 * Throwaway speech frames per avatar and thread: 3 s on the kept avatars (their lattice heads, as sessions
 * draw them), half a second on the others (a photo's and a drawn character's branches; heads not cached).
 */
const SPEECH_FRAMES_KEPT = 75;
const SPEECH_FRAMES_OTHERS = 12;

export async function warmPublicAvatars(
  pool: RenderWorkerPool,
  options: {
    aspectRatios?: AspectRatio[];
    signal?: AbortSignal;
    /** Only these public avatars (slugs; tests): default all. */
    only?: readonly string[];
  } = {},
): Promise<WarmupReport> {
  const started = performance.now();
  const failures: string[] = [];
  let lanes = 0;
  let speechFrames = 0;
  let lipSyncSteps = 0;
  // The same for every avatar (head poses only): found once.
  const poses = warmupPoses();
  const speak = liveDefaults.speakingWarmup;
  // A thread keeps the caches of only a few avatars no session uses (rig-data.ts): the catalog goes back to front,
  // so the first avatars (the default among them) are the ones drawn last and still cached when warm-up ends.
  const drawn = new Set(PUBLIC_AVATARS.slice(0, KEEP_UNUSED_AVATARS).map((a) => a.slug));
  const avatars = PUBLIC_AVATARS.filter((a) => !options.only || options.only.includes(a.slug));
  for (const avatar of [...avatars].reverse()) {
    for (const aspectRatio of options.aspectRatios ?? ['4:3']) {
      if (options.signal?.aborted) break;
      const { spec, seed } = publicAvatarRenderer(avatar.slug, aspectRatio);
      const kept = drawn.has(avatar.slug);
      const lipSync = kept && speak;
      // One lane per worker: a pool puts a new lane on an empty worker first, so opening `size` lanes together
      // reaches every thread (each has its own rig and cache).
      const opened = await Promise.allSettled(
        Array.from({ length: pool.size }, () =>
          pool.openLane(spec, { format: 'i420', ...(lipSync ? { lipSync: audioLipSyncSpec() } : {}) }),
        ),
      );
      await Promise.all(
        opened.map(async (result) => {
          if (result.status === 'rejected') {
            failures.push(`${avatar.slug} ${aspectRatio}: ${String(result.reason)}`);
            return;
          }
          const lane = result.value;
          lanes += 1;
          try {
            // Opening the lane built the rig in the worker; an avatar that is not kept gets only the throwaway reply.
            if (kept) {
              const animator = createAnimator({ seed });
              for (let k = 0; k < IDLE_LOOP_FRAMES && !options.signal?.aborted; k++) {
                await lane.render(animator.step(k * 40, null), k * 40);
              }
              for (const [k, pose] of poses.entries()) {
                if (options.signal?.aborted) break;
                await lane.render(pose, (IDLE_LOOP_FRAMES + k) * 40);
              }
            }
            if (!speak) return;
            const spoke = await warmSpeakingPath(lane, {
              seed,
              fromPtsMs: (IDLE_LOOP_FRAMES + poses.length) * 40,
              frames: kept ? SPEECH_FRAMES_KEPT : SPEECH_FRAMES_OTHERS,
              lipSync,
              ...(options.signal ? { signal: options.signal } : {}),
            });
            speechFrames += spoke.frames;
            lipSyncSteps += spoke.lipSyncSteps;
          } catch (error) {
            failures.push(`${avatar.slug} ${aspectRatio}: ${String(error)}`);
          } finally {
            lane.close();
          }
        }),
      );
    }
  }
  return {
    avatars: PUBLIC_AVATARS.length,
    drawn: drawn.size,
    lanes,
    speechFrames,
    lipSyncSteps,
    ms: Math.round(performance.now() - started),
    failures,
  };
}
