// Okapi BM25 over a small fixed set of passages, with weighted query terms (follow-up questions add the
// previous topic's terms at a lower weight).

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export class Bm25Index {
  private readonly docs: Map<string, number>[];
  private readonly lengths: number[];
  private readonly avgLength: number;
  private readonly docFreq = new Map<string, number>();
  private readonly k1: number;
  private readonly b: number;

  constructor(documents: string[][], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.docs = documents.map((terms) => {
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) this.docFreq.set(t, (this.docFreq.get(t) ?? 0) + 1);
      return counts;
    });
    this.lengths = documents.map((d) => d.length);
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, documents.length);
  }

  get size(): number {
    return this.docs.length;
  }

  has(term: string): boolean {
    return this.docFreq.has(term);
  }

  /** Inverse document frequency; a term no passage contains gets the highest value a term could have. */
  idf(term: string): number {
    const n = this.docs.length;
    const df = this.docFreq.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** BM25 score of every passage for the weighted query terms. */
  scores(query: Map<string, number>): number[] {
    return this.docs.map((doc, i) => {
      let score = 0;
      const norm = this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / (this.avgLength || 1));
      for (const [term, weight] of query) {
        const tf = doc.get(term);
        if (!tf) continue;
        score += weight * this.idf(term) * ((tf * (this.k1 + 1)) / (tf + norm));
      }
      return score;
    });
  }

  /**
   * Share of the query's idf weight that a passage contains (0..1): how much of the question it covers. A word
   * no passage contains weighs as much as the rarest word that some passage does ("last week" in "a bike I
   * bought last week" should not outweigh "bought"), still enough that a question mostly about unknown things
   * is not covered.
   */
  coverage(query: Map<string, number>, doc: number): number {
    let total = 0;
    let matched = 0;
    const counts = this.docs[doc];
    const rarest = Math.log(1 + (this.docs.length - 0.5) / 1.5);
    for (const [term, weight] of query) {
      const w = weight * Math.min(this.idf(term), rarest);
      total += w;
      if (counts?.has(term)) matched += w;
    }
    return total > 0 ? matched / total : 0;
  }
}
