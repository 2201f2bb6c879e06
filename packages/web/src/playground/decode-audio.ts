/**
 * @module Any audio file the browser can decode (mp3, wav, ogg, m4a…) → PCM16 mono at 16 kHz, the rate the
 * server lip-syncs at, using WebAudio's own decoder and an OfflineAudioContext to resample and mix down.
 */
const TARGET_RATE = 16000;

export async function decodeToPcm16(file: Blob): Promise<Int16Array> {
  const bytes = await file.arrayBuffer();
  const probe = new AudioContext();
  let decoded: AudioBuffer;
  try {
    decoded = await probe.decodeAudioData(bytes);
  } catch {
    throw new Error('This file could not be decoded as audio. Try WAV, MP3, OGG or M4A.');
  } finally {
    void probe.close();
  }
  const frames = Math.ceil(decoded.duration * TARGET_RATE);
  if (frames === 0) throw new Error('This audio file is empty.');
  const offline = new OfflineAudioContext(1, frames, TARGET_RATE);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination);
  source.start();
  const rendered = await offline.startRendering();
  return floatToPcm16(rendered.getChannelData(0));
}

export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out[i] = Math.round(s * 32767);
  }
  return out;
}
