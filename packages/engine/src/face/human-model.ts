// Loads @vladmandic/human once per process on the tfjs wasm backend and serialises detections through it.
// tfjs keeps global engine state, so concurrent `detect` calls are queued rather than run interleaved.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The subset of Human's face result that ingest relies on. */
export interface DetectedFace {
  score: number;
  /** [x, y, width, height] in input pixels. */
  box: [number, number, number, number];
  /** 478 points, [x, y, z] in input pixels. */
  mesh: Array<[number, number, number]>;
}

interface HumanTensor {
  dispose(): void;
}
interface HumanInstance {
  tf: {
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): HumanTensor;
    expandDims(t: HumanTensor, axis: number): HumanTensor;
    cast(t: HumanTensor, dtype: 'float32'): HumanTensor;
    dispose(t: HumanTensor): void;
  };
  load(): Promise<void>;
  warmup(): Promise<unknown>;
  detect(input: HumanTensor, config?: unknown): Promise<{ face: DetectedFace[]; error?: string | null }>;
}

let loading: Promise<HumanInstance> | undefined;
let queue: Promise<unknown> = Promise.resolve();

// Some packages' "exports" hide package.json, so look the folder up along Node's resolution paths.
function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed`);
}

// Human fetches its model JSON and weights with fetch(); Node's fetch rejects file:// URLs, so serve them
// from disk here and pass everything else through untouched.
function allowFileFetch(): void {
  const original = globalThis.fetch as typeof fetch & { agenthumanFileFetch?: true };
  if (original.agenthumanFileFetch) return;
  const wrapped = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file://')) {
      const body = await readFile(fileURLToPath(url));
      const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(body, { status: 200, headers: { 'content-type': type } });
    }
    return original(input, init);
  }) as typeof fetch & { agenthumanFileFetch?: true };
  wrapped.agenthumanFileFetch = true;
  globalThis.fetch = wrapped;
}

async function createHuman(): Promise<HumanInstance> {
  allowFileFetch();
  const humanDir = packageDir('@vladmandic/human');
  const wasmDir = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  // Human's package.json "exports" lack "./" prefixes, so the node-wasm build is loaded by path.
  const wasmBackend = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  wasmBackend.setWasmPaths(`${wasmDir}/`);
  const mod = require(join(humanDir, 'dist', 'human.node-wasm.js')) as {
    Human: new (config: unknown) => HumanInstance;
  };
  const human = new mod.Human({
    backend: 'wasm',
    wasmPath: `${wasmDir}/`,
    modelBasePath: `file://${join(humanDir, 'models')}/`,
    debug: false,
    async: true,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 8, minConfidence: 0.5, iouThreshold: 0.1, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  return human;
}

/** Loads the model once; later calls reuse it. A failed load is forgotten so the next call retries. */
export function loadFaceModel(): Promise<HumanInstance> {
  if (!loading) {
    loading = createHuman().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
  }
  return loading;
}

/**
 * How the face detector crops the face it hands to the mesh model. Measurement tools compare settings (the mesh
 * model's reading of small features such as the lip gap depends on the crop); ingest uses the defaults.
 */
export interface DetectOptions {
  /** Level a rolled face before the mesh model (default true). */
  rotation?: boolean;
  /** Crop size around the detected face box (default 1.4, Human's own). */
  cropScale?: number;
}

/** Runs face detection + mesh on packed RGB pixels. Calls are serialised across the process. */
export function detectFaces(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: DetectOptions = {},
): Promise<DetectedFace[]> {
  // Human merges a call's config into its own for good, so every call states both settings.
  const config = {
    face: { detector: { rotation: options.rotation ?? true, scale: options.cropScale ?? 1.4 } },
  };
  const run = async () => {
    const human = await loadFaceModel();
    const t3 = human.tf.tensor3d(rgb, [height, width, 3], 'int32');
    const t4 = human.tf.expandDims(t3, 0);
    const input = human.tf.cast(t4, 'float32');
    try {
      const result = await human.detect(input, config);
      if (result.error) throw new Error(`face model failed: ${result.error}`);
      return result.face.map((f) => ({ score: f.score, box: f.box, mesh: f.mesh }));
    } finally {
      human.tf.dispose(t3);
      human.tf.dispose(t4);
      human.tf.dispose(input);
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
