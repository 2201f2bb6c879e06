// BM25 retrieval over the agent's knowledge with an acceptance threshold, so that an unrelated question gets
// "I don't know" instead of the nearest passage, and with the answer cut down to the sentences that matter.
import { Bm25Index } from './bm25.js';
import { type Passage, parseKnowledge } from './knowledge-passages.js';
import { terms } from './text-terms.js';

export interface RetrievalOptions {
  /** Share of the question's (idf-weighted) terms a passage must contain (default 0.34). */
  minCoverage?: number;
  /** Most passages in one answer (default 2). */
  maxPassages?: number;
  /** Most sentences taken from one long passage (default 3). */
  maxSentences?: number;
  /** Further passages must score at least this share of the best one (default 0.8). */
  minRelativeScore?: number;
}

export interface Retrieved {
  passage: Passage;
  score: number;
  /** The sentences to say, in the passage's order. */
  sentences: string[];
}

/** Words so generic that a question is not "about" them (they still help ranking a little). */
const WEAK = new Set(
  'long take time work make use new good best go come see look say find place way number day'.split(' '),
);
const PRONOUN_START = /^(it|its|they|their|this|these|those|that|he|she|there)\b/i;

export class KnowledgeRetriever {
  readonly passages: Passage[];
  private readonly index: Bm25Index;
  private readonly sentenceTerms: string[][][];
  private readonly minCoverage: number;
  private readonly maxPassages: number;
  private readonly maxSentences: number;
  private readonly minRelativeScore: number;

  constructor(knowledge: string, options: RetrievalOptions = {}) {
    this.passages = parseKnowledge(knowledge);
    this.sentenceTerms = this.passages.map((p) => p.sentences.map((s) => terms(s)));
    this.index = new Bm25Index(
      this.passages.map((p, i) => [
        // Headings and questions say what a passage is about: count them twice.
        ...(p.title ? [...terms(p.title), ...terms(p.title)] : []),
        ...(p.question ? [...terms(p.question), ...terms(p.question)] : []),
        ...this.sentenceTerms[i]!.flat(),
      ]),
    );
    this.minCoverage = options.minCoverage ?? 0.34;
    this.maxPassages = options.maxPassages ?? 2;
    this.maxSentences = options.maxSentences ?? 3;
    this.minRelativeScore = options.minRelativeScore ?? 0.8;
  }

  /** Weighted query terms of a text (weak words count a third). */
  queryOf(text: string, weight = 1): Map<string, number> {
    const query = new Map<string, number>();
    for (const t of terms(text)) query.set(t, Math.max(query.get(t) ?? 0, WEAK.has(t) ? weight / 3 : weight));
    return query;
  }

  /**
   * Best passages for the query. `focus` are the terms of the current turn alone: at least `minCoverage` of
   * them must be found in a passage (a follow-up's borrowed topic terms rank, but cannot carry the answer).
   */
  search(query: Map<string, number>, focus: Map<string, number> = query): Retrieved[] {
    if (this.index.size === 0 || query.size === 0) return [];
    const scores = this.index.scores(query);
    const ranked = scores
      .map((score, i) => ({ i, score }))
      .filter(({ i, score }) => score > 0 && this.index.coverage(focus, i) >= this.minCoverage)
      .sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (!best) return [];
    return ranked
      .filter((r, n) => n === 0 || r.score >= best.score * this.minRelativeScore)
      .slice(0, this.maxPassages)
      .map(({ i, score }) => ({
        passage: this.passages[i]!,
        score,
        sentences: this.pickSentences(i, query),
      }));
  }

  /** A short passage is said whole; from a long one, the best sentences (with the one a pronoun refers to). */
  private pickSentences(passage: number, query: Map<string, number>): string[] {
    const sentences = this.passages[passage]!.sentences;
    if (sentences.length <= this.maxSentences && sentences.join(' ').length <= 400) return sentences;
    const scored = this.sentenceTerms[passage]!.map((ts, i) => {
      let s = 0;
      for (const t of new Set(ts)) s += (query.get(t) ?? 0) * this.index.idf(t);
      return { i, s };
    }).sort((a, b) => b.s - a.s);
    const top = scored[0]!;
    const chosen = new Set<number>([top.i]);
    for (const { i, s } of scored.slice(1)) {
      if (chosen.size >= this.maxSentences - 1 || s < top.s * 0.6 || s === 0) break;
      chosen.add(i);
    }
    for (const i of [...chosen]) {
      if (i > 0 && PRONOUN_START.test(sentences[i]!)) chosen.add(i - 1);
    }
    return [...chosen].sort((a, b) => a - b).map((i) => sentences[i]!);
  }
}
