// Voice activity detection over streamed 16 kHz mono PCM16: speech-start as soon as speech is certain,
// speech-end after `hangoverMs` of silence, with boundaries in stream time (ms since the stream began).

export type VadEvent =
  | { type: 'speech-start'; atMs: number }
  /**
   * With `streamAudio`: the utterance's audio as it becomes certain, in order, from just after its
   * speech-start to just before its speech-end; together exactly the speech-end's `audio` (for streaming STT).
   */
  | { type: 'speech-audio'; audio: Int16Array }
  /** With `pauseMs`: the user has been silent this long inside an utterance (it may end or go on). */
  | { type: 'speech-pause'; silentMs: number }
  | {
      type: 'speech-end';
      startMs: number;
      endMs: number;
      /** The utterance with a little padding either side, ready for STT (when `keepAudio`). */
      audio?: Int16Array;
    };

export interface VAD {
  readonly provider: string;
  /** True between a speech-start and its speech-end. */
  readonly speaking: boolean;
  /** Feeds audio of any length; returns the events it completed. */
  push(pcm: Int16Array): VadEvent[];
  /** Ends the stream: closes an open utterance. */
  flush(): VadEvent[];
  /**
   * Ends the open utterance now, as its hang-over would (the caller judged the turn complete at a pause); the
   * stream goes on, and more speech is a new utterance with its own speech-start.
   */
  endUtterance?(): VadEvent[];
  /** Starts over at time 0. */
  reset(): void;
  /** Frees the model's memory; the VAD cannot be used afterwards. */
  dispose(): void;
}

/** A per-frame speech/non-speech model (WebRTC VAD, Silero, …). */
export interface FrameClassifier {
  readonly provider: string;
  readonly frameSamples: number;
  isSpeech(frame: Int16Array): boolean;
  reset(): void;
  dispose(): void;
}
