// Cuts streamed text into sentences as soon as each one is certainly complete, so that TTS can start on the
// first sentence while the model is still writing the rest. A full stop is not an end after an abbreviation
// ("Dr.", "e.g."), an initial ("J. Smith"), a list number ("2. Open…"), or when the next word is lower case;
// decimals ("3.50") never have a space after the point. Over-long run-ons are cut at a clause boundary.

const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof sr jr st vs etc eg ie approx dept fig vol jan feb apr jun jul aug sep sept oct nov dec tue thu fri ave blvd rd mt ft oz lb lbs hr hrs'.split(
    ' ',
  ),
);
const CLOSERS = `"'”’)]}»`;

export interface SentenceChunkerOptions {
  /** A sentence longer than this is cut at its last clause boundary (default 220 characters). */
  maxChars?: number;
  /** The shortest piece such a cut may leave (default 40). */
  minClauseChars?: number;
}

export class SentenceChunker {
  private buffer = '';
  private readonly maxChars: number;
  private readonly minClauseChars: number;

  constructor(options: SentenceChunkerOptions = {}) {
    this.maxChars = options.maxChars ?? 220;
    this.minClauseChars = options.minClauseChars ?? 40;
  }

  /** Adds streamed text; returns the sentences it completed (trimmed, in order). */
  push(text: string): string[] {
    this.buffer += text;
    return this.take(false);
  }

  /** Ends the stream: returns whatever is left as the last sentence(s). */
  flush(): string[] {
    const out = this.take(true);
    const rest = this.buffer.trim();
    this.buffer = '';
    if (/[\p{L}\p{N}]/u.test(rest)) out.push(rest);
    return out;
  }

  /** Text received but not yet returned as a sentence. */
  get pending(): string {
    return this.buffer;
  }

  private take(final: boolean): string[] {
    const out: string[] = [];
    for (;;) {
      const end = findSentenceEnd(this.buffer, final);
      let cut = end;
      if (cut === -1 && this.buffer.length > this.maxChars) cut = this.clauseCut();
      if (cut === -1) break;
      const sentence = this.buffer.slice(0, cut).trim();
      this.buffer = this.buffer.slice(cut);
      if (/[\p{L}\p{N}]/u.test(sentence)) out.push(sentence);
    }
    return out;
  }

  private clauseCut(): number {
    const window = this.buffer.slice(0, this.maxChars);
    const re = /[,;:—–](?=\s)|\s[-–—]\s/g;
    let best = -1;
    for (let m = re.exec(window); m; m = re.exec(window)) {
      if (m.index + 1 >= this.minClauseChars) best = m.index + m[0].length;
    }
    if (best !== -1) return best;
    // No clause boundary: cut at the last space rather than mid-word.
    const space = window.lastIndexOf(' ');
    return space >= this.minClauseChars ? space + 1 : this.maxChars;
  }
}

/** Index just past the first complete sentence (its terminal punctuation and closers), or -1. */
export function findSentenceEnd(text: string, final: boolean): number {
  const re = /[.!?…]+|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let end = m.index + m[0].length;
    if (m[0] === '\n') {
      if (/\S/.test(text.slice(0, m.index))) return end;
      continue;
    }
    while (end < text.length && CLOSERS.includes(text[end]!)) end++;
    // What follows decides: more text on the same word (a decimal, a URL) is no end.
    const after = /^(\s*)(\S?)/.exec(text.slice(end))!;
    const [, space, next] = after;
    if (!space && next) continue;
    if (!next && !final) return -1; // Wait for the next word to see whether it starts a sentence.
    if (m[0] === '.' && !isSentencePeriod(text, m.index, next ?? '')) continue;
    return end;
  }
  return -1;
}

function isSentencePeriod(text: string, dot: number, next: string): boolean {
  const before = /([\p{L}\p{N}.]+)$/u.exec(text.slice(0, dot))?.[1] ?? '';
  const word = before.toLowerCase().replace(/\./g, '');
  if (next && /\p{Ll}/u.test(next)) return false;
  if (ABBREVIATIONS.has(word) && before.length <= 5) return false;
  if ((word === 'no' || word === 'nos') && /\d/.test(next)) return false;
  // An initial ("J. Smith") or dotted acronym ("U.S.") before a capital continues the sentence.
  if (/^\p{Lu}$/u.test(before) || /^(\p{L}\.)+\p{L}$/u.test(before)) return !next || !/\p{Lu}/u.test(next);
  // "2. Open the box": a list number at the start of a line.
  if (/^\d{1,2}$/.test(before)) {
    const lineStart = text.lastIndexOf('\n', dot - 1) + 1;
    if (text.slice(lineStart, dot).trim() === before) return false;
  }
  return true;
}

/** Whole-text version: the sentences of a finished text. */
export function splitIntoSentences(text: string): string[] {
  const chunker = new SentenceChunker({ maxChars: Number.POSITIVE_INFINITY });
  return [...chunker.push(text), ...chunker.flush()];
}
