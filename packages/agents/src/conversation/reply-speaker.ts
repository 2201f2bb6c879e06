// The TTS side of a turn: one sentence at a time, in order, each synthesised and handed to the sink as soon as
// it is ready, so the first sentence is heard while the model is still writing the next.
import type { TTS, TtsResult } from '@agenthuman/media';
import { isAbortError } from '../provider-error.js';
import { hasPhonemes } from '../tts/speech-result.js';
import { trimLeadingSilence } from '../tts/trim-leading-silence.js';
import type { AsyncQueue } from './async-queue.js';
import type { AudioSegment, ConversationEvent, TurnTimings } from './conversation-events.js';
import type { ReplyState, SegmentRecord } from './reply-state.js';

export interface QueuedSentence {
  index: number;
  text: string;
  endOffset: number;
}

export interface ReplySpeakerOptions {
  tts: TTS;
  voice?: string;
  onAudio?: (segment: AudioSegment) => void | Promise<void>;
  confirmPlayback?: boolean;
  emit: (event: ConversationEvent) => void;
}

export interface SpeakTurn {
  turnId: string;
  sentences: AsyncQueue<QueuedSentence>;
  reply: ReplyState;
  signal: AbortSignal;
  timings: Partial<TurnTimings>;
  since: () => number;
  /** The first sentence's speech made ahead (a prepared reply), if it is this sentence. */
  prepared?: (sentence: string) => Promise<TtsResult> | undefined;
}

export async function speakReply(options: ReplySpeakerOptions, turn: SpeakTurn): Promise<void> {
  const { tts, emit } = options;
  const { turnId, reply, signal, timings } = turn;
  for await (const sentence of turn.sentences) {
    if (signal.aborted) continue; // drain without speaking
    let audio: TtsResult;
    try {
      audio = await (turn.prepared?.(sentence.text) ??
        tts.synthesize(sentence.text, { signal, ...(options.voice ? { voice: options.voice } : {}) }));
    } catch (error) {
      if (signal.aborted || isAbortError(error, signal)) continue;
      // Not silent: the text stays in the transcript and the failure is reported.
      emit(ttsFailed(turnId, sentence, (error as { code?: string })?.code ?? 'TTS_FAILED', error));
      continue;
    }
    if (signal.aborted) continue;
    // The reply's opening pause is only delay after the user stopped; later ones are the gaps between sentences.
    if (sentence.index === 0) audio = trimLeadingSilence(audio);
    const segment: AudioSegment = {
      id: `${turnId}:${sentence.index}`,
      turnId,
      index: sentence.index,
      text: sentence.text,
      sampleRate: 16000,
      pcm: audio.pcm,
      durationMs: (audio.pcm.length / 16000) * 1000,
      phonemes: hasPhonemes(audio) ? audio.phonemes : null,
    };
    const record: SegmentRecord = {
      id: segment.id,
      endOffset: sentence.endOffset,
      played: !options.confirmPlayback,
    };
    timings.firstAudioMs ??= turn.since();
    reply.segments.push(record);
    emit({
      type: 'audio',
      turnId,
      index: sentence.index,
      segmentId: segment.id,
      durationMs: segment.durationMs,
    });
    try {
      await options.onAudio?.(segment);
    } catch (error) {
      record.played = false;
      emit(ttsFailed(turnId, sentence, 'AUDIO_SINK_FAILED', error));
    }
  }
}

function ttsFailed(
  turnId: string,
  sentence: QueuedSentence,
  code: string,
  error: unknown,
): ConversationEvent {
  return {
    type: 'tts.failed',
    turnId,
    index: sentence.index,
    text: sentence.text,
    code,
    message: (error as Error)?.message ?? String(error),
  };
}
