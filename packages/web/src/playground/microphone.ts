/**
 * @module Microphone → PCM16 16 kHz chunks. The AudioContext runs at 16 kHz so the browser resamples; a
 * ScriptProcessor (deprecated but everywhere, and enough for 64 ms blocks) hands out the samples.
 */
import { floatToPcm16 } from './decode-audio.js';

export type MicrophoneCapture = { stop(): void };

export async function startMicrophone(onChunk: (pcm: Int16Array) => void): Promise<MicrophoneCapture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  });
  const context = new AudioContext({ sampleRate: 16000 });
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(1024, 1, 1);
  processor.onaudioprocess = (event) => onChunk(floatToPcm16(event.inputBuffer.getChannelData(0)));
  source.connect(processor);
  processor.connect(context.destination);
  return {
    stop() {
      processor.disconnect();
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
      void context.close();
    },
  };
}
