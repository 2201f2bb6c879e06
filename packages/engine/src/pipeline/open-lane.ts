/** @module How a session's render lane is opened: its pixel format, lip-sync on the worker, pose warm-up. */
import type { PixelFormat } from '../render/renderer.js';
import type { RenderLane } from '../workers/render-lane.js';
import type { RenderWorkerPool } from '../workers/render-worker-pool.js';
import type { RendererSpec } from '../workers/renderer-spec.js';
import { liveDefaults } from './live-defaults.js';

export function openSessionLane(
  pool: RenderWorkerPool,
  options: {
    renderer: RendererSpec;
    pixelFormat?: PixelFormat;
    /** The lip-sync to build on the worker (none when the session runs its own). */
    lipSync: RendererSpec | undefined;
    realtime: boolean;
  },
): Promise<RenderLane> {
  const { lipSync } = options;
  return pool.openLane(options.renderer, {
    format: options.pixelFormat ?? 'i420',
    ...(lipSync ? { lipSync } : {}),
    // Live only: a file's frames keep the worker busy, and each pose warmed between them would only delay it.
    ...(options.realtime && liveDefaults.poseWarm ? { warmPoses: true } : {}),
  });
}
