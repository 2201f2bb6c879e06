/** @module How a render worker builds the CPU renderer for a rig (the spec is resolved inside the engine). */
import type { Rig } from '../face/rig.js';
import type { RendererSpec } from '../workers/renderer-spec.js';

const CPU_RENDERER_MODULE = new URL('./cpu-renderer.ts', import.meta.url).href;

export function cpuRendererSpec(rig: Rig): RendererSpec {
  return { module: CPU_RENDERER_MODULE, export: 'createCpuRenderer', options: rig };
}
