/**
 * @module How live pipelines schedule frames unless their options say otherwise. Process-wide, read when a pipeline
 * starts, so a benchmark can compare settings (bench:livekit's flags); the defaults are what the measurements in
 * ARCHITECTURE (clock, render workers) chose.
 */
export const liveDefaults = {
  /** Speech that becomes ready between ticks runs its tick at once (on: a reply's frame renders sooner). */
  earlyTicks: true,
  /**
   * A reply's first tick moves the clock's grid when every sink allows it (`rephasable`), rather than waiting for
   * the grid. Off: at 8 LiveKit sessions it brought late ticks and dropped frames.
   */
  replyRephase: false,
  /**
   * The render worker skips frames it reaches too late (up to 4 requests in flight), rather than a third frame in
   * flight being dropped. Off: A/B runs at load 13–20 did not show it dropping fewer frames.
   */
  workerSkips: false,
  /**
   * Start-up warm-up (`warmPublicAvatars`) draws a throwaway reply on every render worker, so no session's first
   * reply runs the speaking path cold (live/speaking-warmup.ts).
   */
  speakingWarmup: true,
  /**
   * Live pipelines tell their worker when each lip-sync slice plays, so it puts off analysing audio seconds ahead
   * while frames wait to be drawn (workers/worker-lipsync.ts). Off: at 8 LiveKit sessions (`--segments=3`, one
   * pair, load 5) it dropped 365 frames against 20 without (77 keyframe waits cut against 18).
   */
  lipSyncPutOff: false,
  /**
   * A live frame without its keyframe waits for the lip-sync slice that brings its audio, not for every slice
   * asked so far (lip-sync-processor.ts `pendingFor`): a reply's first frame no longer waits out the 20 ms cap
   * behind the analysis of the whole TTS burst. Off: quiet (load 3, one run each) 8 sessions cut 14 keyframe waits
   * with it against 2 without (a frame that gave up waits again at the next slice), p95 88 against 76 ms.
   */
  ownSliceWait: false,
  /**
   * Live lip-sync slices analysed no earlier than this long before their audio plays (ms; undefined: as soon as
   * they come), to spread an agent's TTS burst over its reply (worker-lipsync.ts). Off: at 8 LiveKit sessions
   * (load 10–14, 2026-12-07) it did not drop fewer frames and cut more keyframe waits (ARCHITECTURE, bench:livekit).
   */
  lipSyncAheadMs: undefined as number | undefined,
  /**
   * A live session's render worker draws its avatar's head poses (the start-up warm-up's list) into its cache in
   * idle time (workers/pose-warmer.ts), so speech never draws a head pose whole mid-reply.
   */
  poseWarm: true,
};

export type LiveDefaults = typeof liveDefaults;

/** For A/B benchmarks and tests: pipelines (and warm-ups) started from now on use these settings. */
export function setLiveDefaults(settings: Partial<LiveDefaults>): void {
  Object.assign(liveDefaults, settings);
}
