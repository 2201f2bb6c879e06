/**
 * bench:livekit-agent's user and subscriber side: the user's Flite-spoken utterances, the microphone that sends
 * them at real time, and what the subscriber reads from the avatar's audio (its onset, its NetEq).
 */
import { FliteTTS } from '@agenthuman/engine/tts';
import { AudioFrame, AudioSource, type Room } from '@livekit/rtc-node';

/** Flite's utterance without its trailing silence: the end of speech is its last sample. */
export async function utterance(text: string): Promise<Int16Array> {
  const { pcm } = await new FliteTTS().synthesize(text);
  let end = pcm.length;
  while (end > 0 && Math.abs(pcm[end - 1]!) < 64) end--;
  return pcm.subarray(0, end);
}

/** A microphone that always sends: queued speech, else silence, 10 ms at a time at real time. */
export class Microphone {
  readonly source = new AudioSource(16_000, 1, 20);
  private speech: { pcm: Int16Array; done: (at: number) => void } | undefined;
  private running = true;
  private readonly loop: Promise<void>;

  constructor() {
    this.loop = this.pump();
  }

  /** Resolves with the time the utterance's last sample was handed over. */
  say(pcm: Int16Array): Promise<number> {
    return new Promise((done) => {
      this.speech = { pcm, done };
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async pump(): Promise<void> {
    while (this.running) {
      const speech = this.speech;
      this.speech = undefined;
      if (!speech) {
        await this.source.captureFrame(new AudioFrame(new Int16Array(160), 16_000, 1, 160));
        continue;
      }
      for (let at = 0; at < speech.pcm.length; at += 160) {
        const chunk = new Int16Array(160);
        chunk.set(speech.pcm.subarray(at, at + 160));
        await this.source.captureFrame(new AudioFrame(chunk, 16_000, 1, 160));
      }
      speech.done(performance.now());
    }
  }
}

/** Where the first 10 ms window louder than RMS 1000 starts in `pcm` (16 kHz), in ms. */
export function firstLoudWindow(pcm: Int16Array): number | undefined {
  for (let at = 0; at + 160 <= pcm.length; at += 160) {
    if (rms(pcm.subarray(at, at + 160)) > 1000) return at / 16;
  }
  return undefined;
}

export function samePcm(a: Int16Array, b: Int16Array): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The subscriber's audio NetEq totals (delay and target are sums over the emitted samples, in seconds). */
export async function audioJitter(
  room: Room,
): Promise<{ delayS: number; targetS: number; emitted: number } | undefined> {
  const stats = await room.getRtcStats().catch(() => undefined);
  // rtc-node 1.x reports the receiving side under publisherStats (one peer connection for both directions).
  for (const entry of [...(stats?.subscriberStats ?? []), ...(stats?.publisherStats ?? [])]) {
    if (entry.stats.case !== 'inboundRtp' || entry.stats.value.stream?.kind !== 'audio') continue;
    const inbound = entry.stats.value.inbound;
    if (!inbound?.jitterBufferEmittedCount) continue;
    return {
      delayS: inbound.jitterBufferDelay ?? 0,
      targetS: inbound.jitterBufferTargetDelay ?? 0,
      emitted: Number(inbound.jitterBufferEmittedCount),
    };
  }
  return undefined;
}

export const rms = (samples: Int16Array) => {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
};
