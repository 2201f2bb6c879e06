// A reply as it is generated and heard: its full text, the segments spoken so far with where each ends in the
// text, and the settling that splits it into what the user heard (`text`) and the rest (`unsaidText`).
import { randomUUID } from 'node:crypto';
import type { TranscriptMessage } from './transcript.js';

export interface SegmentRecord {
  id: string;
  /** Offset in the reply text just past this segment's sentence. */
  endOffset: number;
  played: boolean;
}

export interface ReplyState {
  turnId: string;
  message: TranscriptMessage;
  fullText: string;
  segments: SegmentRecord[];
  /** Still generating or speaking. */
  open: boolean;
}

export function newReply(turnId: string, createdAt: string, greeting: boolean): ReplyState {
  return {
    turnId,
    message: {
      id: randomUUID(),
      role: 'agent',
      text: '',
      createdAt,
      interrupted: false,
      ...(greeting ? { greeting: true } : {}),
    },
    fullText: '',
    segments: [],
    open: true,
  };
}

export function settleComplete(reply: ReplyState): void {
  reply.message.text = reply.fullText.trim();
  reply.message.interrupted = false;
}

/**
 * Marks the reply interrupted. `spoken`: the reply is heard segment by segment, so only the sentences played
 * in order count as said; without speech (chat) the whole generated text was seen.
 */
export function settleInterrupted(reply: ReplyState, spoken: boolean): void {
  let saidEnd = reply.fullText.length;
  if (spoken) {
    saidEnd = 0;
    for (const segment of reply.segments) {
      if (!segment.played) break;
      saidEnd = segment.endOffset;
    }
  }
  reply.message.text = reply.fullText.slice(0, saidEnd).trim();
  reply.message.unsaidText = reply.fullText.slice(saidEnd).trim();
  reply.message.interrupted = true;
}
