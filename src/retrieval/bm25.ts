/** Okapi BM25 over the analyzer's terms (stems and concepts), with an inverted index. */

export interface Bm25Data {
  k1: number;
  b: number;
  ids: string[];
  lengths: number[];
  /** term → flat [docIndex, tf, docIndex, tf, ...] */
  postings: Record<string, number[]>;
}

export interface Bm25Hit {
  id: string;
  score: number;
  /** Share of the query's IDF mass that this document contains (0..1): how much of the question it covers. */
  coverage: number;
}

/** A BM25 index over term lists, stored as plain JSON data (`toJSON`/`fromJSON`). */
export class Bm25Index {
  private readonly avgLength: number;

  private constructor(private readonly data: Bm25Data) {
    this.avgLength = data.lengths.reduce((a, b) => a + b, 0) / Math.max(1, data.lengths.length);
  }

  /** Indexes the documents' terms, with BM25's usual parameters unless given. */
  static build(documents: Array<{ id: string; terms: string[] }>, k1 = 1.2, b = 0.75): Bm25Index {
    const postings: Record<string, number[]> = Object.create(null); // "__proto__" is a term like any other
    documents.forEach((doc, index) => {
      const tf = new Map<string, number>();
      for (const t of doc.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, count] of tf) {
        postings[term] ??= [];
        postings[term].push(index, count);
      }
    });
    return new Bm25Index({ k1, b, ids: documents.map((d) => d.id), lengths: documents.map((d) => d.terms.length), postings });
  }

  static fromJSON(data: Bm25Data): Bm25Index {
    return new Bm25Index(data);
  }

  toJSON(): Bm25Data {
    return this.data;
  }

  get size(): number {
    return this.data.ids.length;
  }

  /** A term's postings; a term such as "constructor" or "toString" is looked up among the index's own keys only. */
  private postingsOf(term: string): number[] | undefined {
    return Object.hasOwn(this.data.postings, term) ? this.data.postings[term] : undefined;
  }

  /** A term's inverse document frequency, BM25's smoothed form: never negative, highest for rare terms. */
  idf(term: string): number {
    const df = (this.postingsOf(term)?.length ?? 0) / 2;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /**
   * Share of the query's IDF mass present anywhere in each group of documents (e.g. all passages of one file).
   * Each unit weighs its first term's IDF and is covered in a group where any of its terms occurs.
   */
  coverageByGroup(units: string[][], groupOf: (id: string) => string): Map<string, number> {
    const unique = [...new Map(units.map((u) => [u.join(" "), u])).values()];
    const total = unique.reduce((sum, u) => sum + this.idf(u[0]!), 0);
    const covered = new Map<string, number>();
    for (const unit of unique) {
      const groups = new Set<string>();
      for (const term of unit) {
        const list = this.postingsOf(term) ?? [];
        for (let i = 0; i < list.length; i += 2) groups.add(groupOf(this.data.ids[list[i]!]!));
      }
      for (const g of groups) covered.set(g, (covered.get(g) ?? 0) + this.idf(unit[0]!));
    }
    for (const [g, w] of covered) covered.set(g, total ? w / total : 0);
    return covered;
  }

  /** Each term with the groups of entries that contain it (e.g. the documents a stem occurs in). */
  groupsByTerm(groupOf: (id: string) => string): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const [term, list] of Object.entries(this.data.postings)) {
      const groups = new Set<string>();
      for (let i = 0; i < list.length; i += 2) groups.add(groupOf(this.data.ids[list[i]!]!));
      out.set(term, groups);
    }
    return out;
  }

  /** The `k` best-scoring documents containing any of the terms and passing `accept`, best first, each with its coverage. */
  search(terms: string[], k: number, accept: (id: string) => boolean = () => true): Bm25Hit[] {
    const { k1, b, ids, lengths } = this.data;
    const unique = [...new Set(terms)];
    const totalIdf = unique.reduce((sum, t) => sum + this.idf(t), 0);
    const scores = new Map<number, { score: number; covered: number }>();
    for (const term of unique) {
      const list = this.postingsOf(term);
      if (!list) continue;
      const w = this.idf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        const norm = (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[doc]!) / this.avgLength));
        const entry = scores.get(doc) ?? { score: 0, covered: 0 };
        entry.score += w * norm;
        entry.covered += w;
        scores.set(doc, entry);
      }
    }
    return [...scores]
      .filter(([doc]) => accept(ids[doc]!))
      .sort((x, y) => y[1].score - x[1].score)
      .slice(0, k)
      .map(([doc, s]) => ({ id: ids[doc]!, score: s.score, coverage: totalIdf ? s.covered / totalIdf : 0 }));
  }
}
