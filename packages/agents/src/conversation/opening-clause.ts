// A reply's first sentence is spoken in two pieces when it opens with a clause ("I'm sorry, I don't have …"):
// a voice that makes a sentence's audio only once all of it is synthesised (Flite) takes time in proportion to
// its length, and every millisecond of the first sentence's synthesis is silence after the user stopped. The
// opening clause alone is ready in a third of the time; the rest is synthesised while it plays. The pause
// between them is the clause's own closing pause (Flite ends "I'm sorry," with 80–160 ms of `pau`, about the
// 100–200 ms it leaves at the comma inside the whole sentence); the rest's opening pause is cut. Only for
// such a voice: a cloud voice takes about as long to start a clause as a sentence, so a second request would
// only risk a gap at the comma.
import type { TTS } from '@agenthuman/media';

/** One piece of a sentence to synthesise, and where it ends in the sentence (offset just past it). */
export interface SpeechPart {
  text: string;
  end: number;
}

/** A clause boundary followed by a space: , ; : and dashes (not "1,000" or "3:30"). */
const CLAUSE = /[,;:—–](?=\s)|\s[-–—]\s/;

/** The shortest rest worth a piece of its own (shorter, its synthesis is about as quick as the whole). */
const MIN_REST_CHARS = 20;

export function openingClause(sentence: string): SpeechPart[] {
  const whole = [{ text: sentence, end: sentence.length }];
  const match = CLAUSE.exec(sentence);
  if (!match) return whole;
  const cut = match.index + match[0].length;
  const head = sentence.slice(0, cut).trim();
  const rest = sentence.slice(cut).trim();
  if (!/[\p{L}\p{N}]/u.test(head) || rest.length < MIN_REST_CHARS) return whole;
  return [
    { text: head, end: sentence.indexOf(head) + head.length },
    { text: rest, end: sentence.length },
  ];
}

/** The first sentence's pieces for this voice: clause first for Flite (see above), else the whole sentence. */
export function firstSentencePieces(tts: TTS, sentence: string): SpeechPart[] {
  if ((tts as { provider?: string }).provider === 'flite') return openingClause(sentence);
  return [{ text: sentence, end: sentence.length }];
}
