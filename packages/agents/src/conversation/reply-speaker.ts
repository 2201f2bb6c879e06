// The TTS side of a turn: one sentence at a time, in order, each synthesised and handed to the sink as soon as
// it is ready, so the first sentence is heard while the model is still writing the next.
import type { TTS, TtsResult } from '@agenthuman/media';
import { isAbortError } from '../provider-error.js';
import { hasPhonemes } from '../tts/speech-result.js';
import { trimLeadingSilence } from '../tts/trim-leading-silence.js';
import type { AsyncQueue } from './async-queue.js';
import type { AudioSegment, ConversationEvent, TurnTimings } from './conversation-events.js';
import { firstSentencePieces } from './opening-clause.js';
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
  const { tts } = options;
  const { signal } = turn;
  const synthesize = (text: string) =>
    turn.prepared?.(text) ??
    tts.synthesize(text, { signal, ...(options.voice ? { voice: options.voice } : {}) });
  for await (const sentence of turn.sentences) {
    if (signal.aborted) continue; // drain without speaking
    // The first sentence is spoken clause first (opening-clause.ts): the rest is synthesised meanwhile.
    const parts =
      sentence.index === 0 ? firstSentencePieces(tts, sentence.text) : [{ text: sentence.text, end: 0 }];
    const start = sentence.endOffset - sentence.text.length;
    let next = synthesize(parts[0]!.text);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const speech = next;
      let audio: TtsResult;
      try {
        audio = await speech;
      } catch (error) {
        if (signal.aborted || isAbortError(error, signal)) break;
        // Not silent: the text stays in the transcript and the failure is reported.
        const code = (error as { code?: string })?.code ?? 'TTS_FAILED';
        options.emit(ttsFailed(turn.turnId, sentence.index, part.text, code, error));
        if (i + 1 < parts.length) next = synthesize(parts[i + 1]!.text);
        continue;
      }
      if (signal.aborted) break;
      if (i + 1 < parts.length) {
        next = synthesize(parts[i + 1]!.text);
        next.catch(() => {}); // awaited on the next pass
      }
      const last = i === parts.length - 1;
      await handOver(options, turn, {
        id: i === 0 ? `${turn.turnId}:${sentence.index}` : `${turn.turnId}:${sentence.index}.${i}`,
        index: sentence.index,
        text: part.text,
        endOffset: last ? sentence.endOffset : start + part.end,
        // The reply's opening pause is only delay after the user stopped, and so is the one a piece of the
        // first sentence opens with (the clause before it closed with its own); later ones are the gaps.
        audio: sentence.index === 0 ? trimLeadingSilence(audio) : audio,
      });
    }
  }
}

/** One piece of speech to the sink, recorded for the heard / unsaid split. */
async function handOver(
  options: ReplySpeakerOptions,
  turn: SpeakTurn,
  piece: { id: string; index: number; text: string; endOffset: number; audio: TtsResult },
): Promise<void> {
  const { turnId, reply, timings } = turn;
  const { audio } = piece;
  const segment: AudioSegment = {
    id: piece.id,
    turnId,
    index: piece.index,
    text: piece.text,
    sampleRate: 16000,
    pcm: audio.pcm,
    durationMs: (audio.pcm.length / 16000) * 1000,
    phonemes: hasPhonemes(audio) ? audio.phonemes : null,
  };
  const record: SegmentRecord = {
    id: segment.id,
    endOffset: piece.endOffset,
    played: !options.confirmPlayback,
  };
  timings.firstAudioMs ??= turn.since();
  reply.segments.push(record);
  options.emit({
    type: 'audio',
    turnId,
    index: piece.index,
    segmentId: segment.id,
    durationMs: segment.durationMs,
  });
  try {
    await options.onAudio?.(segment);
  } catch (error) {
    record.played = false;
    options.emit(ttsFailed(turnId, piece.index, piece.text, 'AUDIO_SINK_FAILED', error));
  }
}

function ttsFailed(
  turnId: string,
  index: number,
  text: string,
  code: string,
  error: unknown,
): ConversationEvent {
  return {
    type: 'tts.failed',
    turnId,
    index,
    text,
    code,
    message: (error as Error)?.message ?? String(error),
  };
}
