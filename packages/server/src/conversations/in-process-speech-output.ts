/**
 * @module A speech output that plays nowhere: it paces each sentence at real time, reports it played when its
 * duration has passed, and records what it was given. It stands in for the room where none runs (and in tests
 * and benchmarks it is the observable "room"): timings, order and barge-in behave as with a real room.
 */
import type { AudioSegment } from '@agenthuman/agents';
import type { AgentSpeechOutput, SpeechOutputs } from './speech-output.js';

export type SentSegment = { segment: AudioSegment; atMs: number };

export class InProcessSpeechOutput implements AgentSpeechOutput {
  readonly sent: SentSegment[] = [];
  readonly interrupts: number[] = [];
  /** When the output stopped speaking (playing out, or cut off). */
  stoppedAtMs: number | undefined;
  private queue: AudioSegment[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly played = new Set<(id: string) => void>();
  private readonly interrupted = new Set<() => void>();
  private readonly joined = new Set<() => void>();
  private viewer: boolean;

  constructor(options: { viewerPresent?: boolean } = {}) {
    this.viewer = options.viewerPresent ?? false;
  }

  get hasViewer(): boolean {
    return this.viewer;
  }

  get speaking(): boolean {
    return this.timer !== undefined;
  }

  speak(segment: AudioSegment): void {
    this.sent.push({ segment, atMs: performance.now() });
    this.queue.push(segment);
    if (!this.timer) this.playNext();
  }

  interrupt(): void {
    this.interrupts.push(performance.now());
    this.queue = [];
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.stoppedAtMs = performance.now();
    }
    for (const listener of this.interrupted) listener();
  }

  onInterrupted(listener: () => void): () => void {
    this.interrupted.add(listener);
    return () => this.interrupted.delete(listener);
  }

  /** Simulates a viewer opening the room. */
  viewerJoins(): void {
    this.viewer = true;
    for (const listener of this.joined) listener();
  }

  onPlayed(listener: (segmentId: string) => void): () => void {
    this.played.add(listener);
    return () => this.played.delete(listener);
  }

  onViewerJoined(listener: () => void): () => void {
    this.joined.add(listener);
    return () => this.joined.delete(listener);
  }

  close(): void {
    this.interrupt();
    this.played.clear();
    this.interrupted.clear();
    this.joined.clear();
  }

  private playNext(): void {
    const segment = this.queue.shift();
    if (!segment) {
      this.timer = undefined;
      this.stoppedAtMs = performance.now();
      return;
    }
    this.timer = setTimeout(() => {
      for (const listener of this.played) listener(segment.id);
      this.playNext();
    }, segment.durationMs);
  }
}

/** One in-process output per voice/video session; `outputs.get(id)` lets tests and benchmarks observe it. */
export function createInProcessSpeechOutputs(options: { viewerPresent?: boolean } = {}) {
  const outputs = new Map<string, InProcessSpeechOutput>();
  return {
    outputs,
    attach(session: { id: string; sessionType: string }) {
      if (session.sessionType === 'agent_chat') return undefined;
      const output = new InProcessSpeechOutput(options);
      outputs.set(session.id, output);
      return output;
    },
  } satisfies SpeechOutputs & { outputs: Map<string, InProcessSpeechOutput> };
}
