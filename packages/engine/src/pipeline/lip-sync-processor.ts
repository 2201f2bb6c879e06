/** @module Runs streaming lip-sync on audio as it arrives, ahead of play-out, and passes everything on. */
import { performance } from 'node:perf_hooks';
import { PCM_RATE } from '@agenthuman/media';
import type { MouthKeyframe } from '../animation/params.js';
import type { Frame } from './frames.js';
import { SAMPLES_PER_FRAME } from './media-clock.js';
import type { LipSync, RemoteLipSync } from './ports.js';
import { FrameProcessor } from './processor.js';
import { chargeTurn, nextTurn, turnBudgetLeft } from './turn-budget.js';

/**
 * Analysis costs ~21 ms per second of audio. On the main thread, that is the thread that runs every session's
 * clock, so audio is analysed at most 160 ms (at 16 kHz) at a time, within the one per-turn budget of live media
 * work (turn-budget.ts). On a worker the same slices let renders run between them.
 */
const SLICE_SAMPLES = 2_560;

/**
 * A frame's keyframe is out once the audio to the end of the frame after it has been analysed (look-ahead 72.5 ms
 * today, ≤ 80 allowed: MAX_LOOKAHEAD_MS), with a frame to spare: frame i waits for samples up to (i + 3) frames.
 */
const KEYFRAME_REACH_FRAMES = 3;

/**
 * Analysing on arrival rather than on the tick means a frame's keyframe is usually ready before the frame plays,
 * so lip-sync's look-ahead adds no delay to the picture. Segments that bring their own keyframes (TTS phonemes)
 * skip analysis. Keyframes leave after the audio they describe, so the speech queue always knows the segment.
 *
 * With a RemoteLipSync (the session's render worker runs the model) the audio passes on at once and the
 * keyframes follow when the worker answers; `pendingFor` tells the speech queue that a frame's keyframe may still
 * be on its way, so the tick waits for it instead of playing the frame without one.
 */
export class LipSyncProcessor extends FrameProcessor {
  readonly name = 'lip-sync';
  readonly #lipSync: LipSync | undefined;
  readonly #remote: RemoteLipSync | undefined;
  #segmentId: string | undefined;
  #analyse = false;
  /** Bumped by interrupts and ends, so a sliced analysis in progress stops (and late answers are dropped). */
  #generation = 0;
  /** Remote steps not yet answered, per segment. */
  readonly #outstanding = new Map<string, number>();
  /** Remote steps asked and answered so far (answers come in the order asked). */
  #asked = 0;
  #answered = 0;
  #waiters: { upTo: number; resolve: () => void }[] = [];
  readonly #queuedMs: (() => number) | undefined;
  /**
   * Per segment, its remote push steps not yet answered, in order: which step (its number among all asked) brings
   * the audio up to which sample of the segment; and how far the answered ones reach.
   */
  readonly #reach = new Map<
    string,
    { steps: { endSample: number; n: number }[]; sent: number; answered: number }
  >();

  /**
   * `queuedMs`: the speech queued to play, the audio just passed on included (the speech queue's), so each slice
   * sent to a remote lip-sync says when it plays: a worker puts off the slices of a burst that play seconds later.
   */
  constructor(lipSync: LipSync | undefined, remote?: RemoteLipSync, queuedMs?: () => number) {
    super();
    this.#lipSync = lipSync;
    this.#remote = lipSync ? undefined : remote;
    this.#queuedMs = queuedMs;
  }

  /**
   * When a step for `segmentId` is unanswered: resolves once the steps that bring the audio of frame `index` (and
   * the look-ahead its keyframe needs) have been answered, or, when that audio has not all arrived or no index is
   * given, every step asked so far, so the keyframes are those a main-thread lip-sync would have had ready now
   * (audio arriving later is not waited for). Not the whole burst: a reply's first frame waits for its own slice,
   * not for the analysis of the seconds of TTS audio that came with it.
   */
  pendingFor(segmentId: string, index?: number): Promise<void> | undefined {
    if (!this.#outstanding.get(segmentId)) return undefined;
    let upTo = this.#asked;
    const reach = this.#reach.get(segmentId);
    if (index !== undefined && reach) {
      const need = (index + KEYFRAME_REACH_FRAMES) * SAMPLES_PER_FRAME;
      if (need <= reach.answered) return undefined;
      const step = reach.steps.find((s) => s.endSample >= need);
      if (step) upTo = step.n;
    }
    return new Promise((resolve) => this.#waiters.push({ upTo, resolve }));
  }

  protected process(frame: Frame): void | Promise<void> {
    switch (frame.kind) {
      case 'segment-start':
        this.#finishSegment();
        this.#segmentId = frame.segmentId;
        this.#analyse = !frame.hasMouth && (this.#lipSync ?? this.#remote) !== undefined;
        this.#reset();
        this.emit(frame);
        return;
      case 'audio':
        this.emit(frame);
        if (!this.#analyse || frame.segmentId !== this.#segmentId) return;
        if (this.#remote) {
          // Passed on above, so the queue holds it: it starts after what was queued before it.
          const startsInMs = this.#queuedMs && this.#queuedMs() - (frame.pcm.length * 1000) / PCM_RATE;
          for (let at = 0; at < frame.pcm.length; at += SLICE_SAMPLES) {
            const slice = frame.pcm.slice(at, at + SLICE_SAMPLES);
            const sliceInMs = startsInMs === undefined ? undefined : startsInMs + (at * 1000) / PCM_RATE;
            this.#ask(this.#remote.push(slice, sliceInMs), slice.length);
          }
          return;
        }
        if (frame.pcm.length <= SLICE_SAMPLES && turnBudgetLeft()) {
          this.#analyseNow(frame.pcm);
          return;
        }
        // Later frames wait (in order) until the last slice is analysed.
        return this.#analyseSliced(frame.pcm);
      case 'segment-end':
        if (frame.segmentId === this.#segmentId) this.#finishSegment();
        this.emit(frame);
        return;
      default:
        this.emit(frame);
    }
  }

  protected override onSystem(): void {
    this.#generation++;
    this.#segmentId = undefined;
    this.#analyse = false;
    this.#reset();
  }

  #reset(): void {
    this.#reach.clear();
    this.#lipSync?.reset();
    this.#remote?.reset().catch(() => {});
  }

  async #analyseSliced(pcm: Int16Array): Promise<void> {
    const generation = this.#generation;
    for (let at = 0; at < pcm.length; at += SLICE_SAMPLES) {
      while (!turnBudgetLeft()) {
        await nextTurn();
        if (generation !== this.#generation) return;
      }
      this.#analyseNow(pcm.subarray(at, at + SLICE_SAMPLES));
    }
  }

  #analyseNow(pcm: Int16Array): void {
    const started = performance.now();
    this.#emitMouth(this.#lipSync!.push(pcm), this.#segmentId);
    chargeTurn(performance.now() - started);
  }

  #finishSegment(): void {
    if (this.#analyse && this.#remote) this.#ask(this.#remote.flush());
    else if (this.#analyse && this.#lipSync?.flush) this.#emitMouth(this.#lipSync.flush(), this.#segmentId);
    this.#analyse = false;
  }

  /**
   * One remote step for the current segment: its keyframes go on when answered, unless an interrupt came first.
   * `samples`: the audio a push step adds to the segment.
   */
  #ask(step: Promise<MouthKeyframe[]>, samples = 0): void {
    const segmentId = this.#segmentId!;
    const generation = this.#generation;
    this.#outstanding.set(segmentId, (this.#outstanding.get(segmentId) ?? 0) + 1);
    const n = ++this.#asked;
    let reach = this.#reach.get(segmentId);
    if (!reach) {
      reach = { steps: [], sent: 0, answered: 0 };
      this.#reach.set(segmentId, reach);
    }
    reach.sent += samples;
    const sent = reach.sent;
    reach.steps.push({ endSample: sent, n });
    const answeredReach = reach;
    step
      .then(
        (keyframes) => {
          if (generation === this.#generation) this.#emitMouth(keyframes, segmentId);
        },
        (error: unknown) => {
          if (generation === this.#generation) this.report(error);
        },
      )
      .finally(() => {
        const left = (this.#outstanding.get(segmentId) ?? 1) - 1;
        if (left > 0) this.#outstanding.set(segmentId, left);
        else this.#outstanding.delete(segmentId);
        const answered = ++this.#answered;
        answeredReach.answered = Math.max(answeredReach.answered, sent);
        while (answeredReach.steps[0] && answeredReach.steps[0].n <= answered) answeredReach.steps.shift();
        if (this.#waiters.length === 0) return;
        const ready = this.#waiters.filter((w) => w.upTo <= answered);
        this.#waiters = this.#waiters.filter((w) => w.upTo > answered);
        for (const { resolve } of ready) resolve();
      });
  }

  #emitMouth(keyframes: MouthKeyframe[], segmentId: string | undefined): void {
    if (keyframes.length > 0 && segmentId !== undefined) {
      this.emit({ kind: 'mouth', keyframes, segmentId });
    }
  }
}
