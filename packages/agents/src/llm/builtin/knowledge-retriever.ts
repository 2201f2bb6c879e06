// BM25 retrieval over the sentences of the agent's knowledge with an acceptance threshold, so that an
// unrelated question gets "I don't know" instead of the nearest passage, and the answer is the sentences that
// matter, not the whole paragraph they sit in.
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

/** Words so generic that a question is not "about" them (they still help ranking a little); stemmed. */
const WEAK = new Set(
  'long take time work make use new good best go come see look say find place way number day last week month year yesterday today ago recent'.split(
    ' ',
  ),
);
const PRONOUN_START = /^(it|its|they|their|this|these|those|that|he|she|there)\b/i;

/** One indexed sentence: where it sits and its own terms (the passage's heading/question are indexed with it). */
interface SentenceDoc {
  passage: number;
  sentence: number;
  own: string[];
}

export class KnowledgeRetriever {
  readonly passages: Passage[];
  private readonly docs: SentenceDoc[];
  private readonly index: Bm25Index;
  private readonly minCoverage: number;
  private readonly maxPassages: number;
  private readonly maxSentences: number;
  private readonly minRelativeScore: number;

  constructor(knowledge: string, options: RetrievalOptions = {}) {
    this.passages = parseKnowledge(knowledge);
    // Sentences are the unit of retrieval: a passage's idf-weighted coverage is diluted by its other
    // sentences, and one knowledge paragraph would otherwise make every word equally (un)informative.
    this.docs = this.passages.flatMap((p, passage) =>
      p.sentences.map((text, sentence) => ({ passage, sentence, own: terms(text) })),
    );
    const about = this.passages.map((p) => [
      // Headings and questions say what each of a passage's sentences is about: count them twice.
      ...(p.title ? [...terms(p.title), ...terms(p.title)] : []),
      ...(p.question ? [...terms(p.question), ...terms(p.question)] : []),
    ]);
    this.index = new Bm25Index(this.docs.map((d) => [...about[d.passage]!, ...d.own]));
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
   * Best passages for the query, each with the sentences to say. `focus` are the terms of the current turn
   * alone: a sentence (with its heading) must contain at least `minCoverage` of them (a follow-up's borrowed
   * topic terms rank, but cannot carry the answer).
   */
  search(query: Map<string, number>, focus: Map<string, number> = query): Retrieved[] {
    if (this.index.size === 0 || query.size === 0) return [];
    const scores = this.index.scores(query);
    const best = new Map<number, { doc: number; score: number }>();
    scores.forEach((score, doc) => {
      if (score <= 0 || this.index.coverage(focus, doc) < this.minCoverage) return;
      const passage = this.docs[doc]!.passage;
      if (score > (best.get(passage)?.score ?? 0)) best.set(passage, { doc, score });
    });
    const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score);
    const top = ranked[0]?.[1].score ?? 0;
    return ranked
      .filter(([, r], n) => n === 0 || r.score >= top * this.minRelativeScore)
      .slice(0, this.maxPassages)
      .map(([passage, { doc, score }]) => ({
        passage: this.passages[passage]!,
        score,
        sentences: this.pickSentences(passage, this.docs[doc]!.sentence, query),
      }));
  }

  /**
   * The best sentence, other sentences of the passage whose own words match nearly as well, and the sentence
   * a leading pronoun refers to. A Q/A pair's answer is said whole: it answers its question; so is a passage
   * found by its heading alone.
   */
  private pickSentences(passage: number, bestSentence: number, query: Map<string, number>): string[] {
    const sentences = this.passages[passage]!.sentences;
    if (this.passages[passage]!.question) return sentences.slice(0, Math.max(this.maxSentences, 1));
    const own = this.docs
      .filter((d) => d.passage === passage)
      .map((d) => {
        let s = 0;
        for (const t of new Set(d.own)) s += (query.get(t) ?? 0) * this.index.idf(t);
        return { i: d.sentence, s };
      });
    // Matched by its heading alone ("Tell me about rentals"): the question is about the whole passage.
    if ((own[bestSentence]?.s ?? 0) <= 0) return sentences.slice(0, Math.max(this.maxSentences, 1));
    const bar = own[bestSentence]!.s * 0.6;
    const chosen = new Set<number>([bestSentence]);
    for (const { i, s } of own.filter((o) => o.i !== bestSentence).sort((a, b) => b.s - a.s)) {
      if (chosen.size >= this.maxSentences || s <= 0 || s < bar) break;
      chosen.add(i);
    }
    for (const i of [...chosen]) {
      if (i > 0 && PRONOUN_START.test(sentences[i]!)) chosen.add(i - 1);
    }
    return [...chosen].sort((a, b) => a - b).map((i) => sentences[i]!);
  }
}
