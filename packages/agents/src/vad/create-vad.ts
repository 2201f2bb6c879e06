// Chooses the VAD from a config object. One model today (WebRTC VAD); the FrameClassifier interface is where
// another (Silero on onnxruntime) would plug in.
import { z } from 'zod';
import { parseProviderOptions } from '../provider-error.js';
import type { VAD } from './vad.js';
import { createWebRtcVad } from './webrtc/webrtc-vad.js';

export const vadConfigSchema = z.object({
  provider: z.literal('webrtc').default('webrtc'),
  mode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  hangover_ms: z.number().min(0).max(5000).optional(),
  min_speech_ms: z.number().min(0).max(2000).optional(),
  /** Hand the utterance's audio out while it is spoken (`speech-audio`), for streaming STT. */
  stream_audio: z.boolean().optional(),
  /** With stream_audio: report a silence this long inside an utterance (`speech-pause`). */
  pause_ms: z.number().min(0).max(5000).optional(),
});

export type VadConfig = z.input<typeof vadConfigSchema>;

export async function createVAD(config: VadConfig = {}): Promise<VAD> {
  const c = parseProviderOptions('VAD', String(config.provider ?? 'webrtc'), vadConfigSchema, config);
  return createWebRtcVad({
    ...(c.mode === undefined ? {} : { mode: c.mode }),
    ...(c.hangover_ms === undefined ? {} : { hangoverMs: c.hangover_ms }),
    ...(c.min_speech_ms === undefined ? {} : { minSpeechMs: c.min_speech_ms }),
    ...(c.stream_audio === undefined ? {} : { streamAudio: c.stream_audio }),
    ...(c.pause_ms === undefined ? {} : { pauseMs: c.pause_ms }),
  });
}
