// The WebRTC VAD (libfvad's GMM model, compiled to WASM in @echogarden/fvad-wasm: 68 KB, no native code, no
// install step) as a frame classifier. Chosen over Silero (@ricky0123/vad-node) because that one pulls in
// onnxruntime-node, 290 MB installed and an .npmrc workaround, for a turn detector.
import createFvad, { type FvadModule } from '@echogarden/fvad-wasm';
import { z } from 'zod';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import { type SegmenterOptions, SpeechSegmenter } from '../speech-segmenter.js';
import type { FrameClassifier } from '../vad.js';

let modulePromise: Promise<FvadModule> | undefined;

function loadFvad(): Promise<FvadModule> {
  modulePromise ??= createFvad().catch((error: unknown) => {
    modulePromise = undefined;
    throw new ProviderError(
      'VAD',
      'FAILED',
      'webrtc-vad',
      `could not load the WebRTC VAD: ${(error as Error).message}`,
    );
  });
  return modulePromise;
}

export const webRtcVadOptionsSchema = z.object({
  /** 0 (quality) … 3 (very aggressive: fewest false "speech" frames). */
  mode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(3),
  frameMs: z.union([z.literal(10), z.literal(20), z.literal(30)]).default(20),
});

export type WebRtcVadOptions = z.input<typeof webRtcVadOptionsSchema> & SegmenterOptions;

class WebRtcFrameClassifier implements FrameClassifier {
  readonly provider = 'webrtc-vad';
  readonly frameSamples: number;
  private handle: number;
  private readonly buffer: number;

  constructor(
    private readonly fvad: FvadModule,
    private readonly mode: number,
    frameMs: number,
  ) {
    this.frameSamples = (16000 * frameMs) / 1000;
    this.handle = fvad._fvad_new();
    if (!this.handle) throw new ProviderError('VAD', 'FAILED', this.provider, 'fvad_new failed');
    this.configure();
    this.buffer = fvad._malloc(this.frameSamples * 2);
  }

  private configure(): void {
    this.fvad._fvad_set_sample_rate(this.handle, 16000);
    this.fvad._fvad_set_mode(this.handle, this.mode);
  }

  isSpeech(frame: Int16Array): boolean {
    if (!this.handle) throw new ProviderError('VAD', 'FAILED', this.provider, 'the VAD was disposed');
    // HEAP16 is re-read each time: the WASM memory may have grown and replaced it.
    this.fvad.HEAP16.set(frame, this.buffer >> 1);
    const result = this.fvad._fvad_process(this.handle, this.buffer, this.frameSamples);
    if (result < 0)
      throw new ProviderError('VAD', 'FAILED', this.provider, 'fvad_process rejected the frame');
    return result === 1;
  }

  reset(): void {
    if (!this.handle) return;
    // fvad_reset also forgets the sample rate and mode.
    this.fvad._fvad_reset(this.handle);
    this.configure();
  }

  dispose(): void {
    if (!this.handle) return;
    this.fvad._fvad_free(this.handle);
    this.fvad._free(this.buffer);
    this.handle = 0;
  }
}

/** A streaming VAD on the WebRTC model. */
export async function createWebRtcVad(options: WebRtcVadOptions = {}): Promise<SpeechSegmenter> {
  const { mode, frameMs, ...segmenter } = options;
  const parsed = parseProviderOptions('VAD', 'webrtc-vad', webRtcVadOptionsSchema, { mode, frameMs });
  const fvad = await loadFvad();
  return new SpeechSegmenter(new WebRtcFrameClassifier(fvad, parsed.mode, parsed.frameMs), segmenter);
}
