/**
 * A LiveKit room as one more transport of a running live avatar: the room's camera and microphone tracks are
 * sinks attached to it, the agent's `lk.audio_stream` byte streams are a source into its one entrance, and its
 * segment events drive the playback RPCs. Nothing of the entrance (resampling, queue bound, segment ids) is
 * done here.
 */
import type { AvatarInput, AvatarOutput } from '@agenthuman/engine/live';
import type { AvatarSpeechInput } from './audio-stream-source.js';
import { AlignedSinks } from './av-alignment.js';
import { LiveKitAvatar, type LiveKitAvatarOptions } from './livekit-avatar.js';

/** What the transport needs of a live avatar: its entrance, its outputs and its frame size. */
export type LiveAvatarPorts = AvatarInput &
  AvatarOutput & { readonly width: number; readonly height: number };

export type JoinOptions = Omit<LiveKitAvatarOptions, 'input' | 'size'> & {
  /** false: frames leave as soon as they are rendered, ahead of their audio (benchmarks compare both). */
  alignVideoToAudio?: boolean;
  /** Hold of each frame beyond its audio (AlignedSinksOptions.videoDelayMs, default 40; benchmarks). */
  videoDelayMs?: number;
};

/**
 * Joins the room as the avatar and wires it both ways; rejects with LiveKitJoinError (nothing left attached).
 * `close()` on the returned LiveKitAvatar also detaches it from the live avatar. Given a live avatar that is
 * still starting, the join connects meanwhile (the slower half of create → first frame) and publishes once it
 * has started; speech the agent sends before then waits for it.
 */
export async function joinLiveAvatar(
  starting: LiveAvatarPorts | Promise<LiveAvatarPorts>,
  options: JoinOptions,
): Promise<LiveKitAvatar> {
  const avatarReady = Promise.resolve(starting);
  const input = new DeferredSpeechInput();
  const { alignVideoToAudio = true, videoDelayMs, ...joinOptions } = options;
  const livekit = await LiveKitAvatar.join({
    ...joinOptions,
    size: avatarReady.then(({ width, height }) => ({ width, height })),
    input,
  });
  const avatar = await avatarReady;
  // Each frame leaves with the audio of its pts (see av-alignment.ts).
  const aligned = new AlignedSinks(livekit.audioSink, livekit.videoSink, {
    maxHoldMs: alignVideoToAudio ? undefined : 0,
    videoDelayMs,
  });
  const detachSinks = avatar.attach({ video: aligned.video, audio: aligned.audio });
  const started = livekit.onSpeakingStarted.bind(livekit);
  const played = livekit.onSpeakingStopped.bind(livekit);
  avatar.on('segment.started', started);
  avatar.on('segment.played', played);
  // Only now, with the segment events wired, may speech reach the avatar (none of its reports is missed).
  input.open(speechInputOf(avatar));
  const close = livekit.close.bind(livekit);
  livekit.close = (reason?: string) => {
    detachSinks();
    aligned.close();
    avatar.off('segment.started', started);
    avatar.off('segment.played', played);
    return close(reason);
  };
  return livekit;
}

/** The byte-stream source's view of the entrance: one segment per stream, at the stream's own rate. */
function speechInputOf(avatar: AvatarInput): AvatarSpeechInput {
  const rates = new Map<string, number>();
  return {
    openSegment: (segmentId, sampleRate) => void rates.set(segmentId, sampleRate),
    pushAudio: (segmentId, pcm) => {
      const sampleRate = rates.get(segmentId);
      if (sampleRate === undefined) return;
      avatar.pushAudio(pcm, { sampleRate, segmentId });
    },
    endSegment: (segmentId) => {
      if (!rates.delete(segmentId)) return;
      avatar.endSegment(segmentId);
    },
    clear: () => {
      rates.clear();
      avatar.interrupt();
    },
  };
}

/** Holds the calls made before the avatar can take them, in order, and hands them over on `open`. */
class DeferredSpeechInput implements AvatarSpeechInput {
  #target: AvatarSpeechInput | undefined;
  #held: ((target: AvatarSpeechInput) => void)[] = [];

  open(target: AvatarSpeechInput): void {
    for (const call of this.#held) call(target);
    this.#held = [];
    this.#target = target;
  }

  openSegment(segmentId: string, sampleRate: number): void {
    this.#call((t) => t.openSegment(segmentId, sampleRate));
  }

  pushAudio(segmentId: string, pcm: Int16Array): void {
    this.#call((t) => t.pushAudio(segmentId, pcm));
  }

  endSegment(segmentId: string): void {
    this.#call((t) => t.endSegment(segmentId));
  }

  clear(): void {
    // Held speech is dropped unplayed; the avatar itself has nothing to stop yet.
    if (this.#target) this.#target.clear();
    else this.#held = [];
  }

  #call(call: (target: AvatarSpeechInput) => void): void {
    if (this.#target) call(this.#target);
    else this.#held.push(call);
  }
}
