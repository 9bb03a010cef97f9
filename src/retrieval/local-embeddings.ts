/**
 * Local, deterministic, offline embeddings: accent-folded stems, stem bigrams and glossary concepts,
 * hashed into a fixed number of dimensions and weighted by inverse document frequency learned at ingest.
 */
import { createHash } from "node:crypto";
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import type { Analyzer } from "./analyzer.js";
import { fnv1a } from "./fnv1a.js";

/** What ingestion learns from the corpus and saves beside the index. */
export interface LocalWeights {
  dimension: number;
  documents: number;
  /** Document frequency of each feature. */
  df: Record<string, number>;
}

/** The features fitting found in one text, in their order: embedding that text later needs no second analysis. */
interface FittedText {
  /** Positions in the list of feature names. */
  ids: Uint32Array;
  counts: Uint32Array;
  boosts: Float32Array;
}

/** Dimension of the hashed vectors unless configured otherwise. */
export const DEFAULT_LOCAL_DIMENSION = 1024;

/** Concepts bridge languages and wordings, so they count more than a single word. */
const CONCEPT_BOOST = 2;
const BIGRAM_BOOST = 0.5;

/** LangChain embeddings computed locally from the weights learnt at ingest: same text, same vector, no network. */
export class LocalEmbeddings extends Embeddings {
  static readonly NAME = "local-hashed-v1";
  readonly name = LocalEmbeddings.NAME;
  readonly dimension: number;
  /** After `fitted`: the features of each fitted text not embedded yet, and the names their ids stand for. */
  private remembered?: { texts: Map<string, FittedText>; names: string[] };

  constructor(
    private readonly analyzer: Analyzer,
    readonly weights: LocalWeights,
    params: EmbeddingsParams = {},
  ) {
    super(params);
    this.dimension = weights.dimension;
  }

  /** Learns feature weights from the passages to index. */
  static fit(analyzer: Analyzer, texts: string[], dimension = DEFAULT_LOCAL_DIMENSION): LocalWeights {
    return learn(analyzer, texts, dimension).weights;
  }

  /** Embeddings fitted on `texts` that remember each text's features, so that embedding those texts analyses none again (ingest). */
  static fitted(analyzer: Analyzer, texts: string[], dimension = DEFAULT_LOCAL_DIMENSION): LocalEmbeddings {
    const { weights, texts: remembered, names } = learn(analyzer, texts, dimension);
    const embeddings = new LocalEmbeddings(analyzer, weights);
    embeddings.remembered = { texts: remembered, names };
    return embeddings;
  }

  /** Identifies these exact weights: vectors from other weights are not comparable. */
  get fingerprint(): string {
    const sorted = Object.entries(this.weights.df).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return createHash("sha256")
      .update(JSON.stringify([this.weights.dimension, this.weights.documents, sorted]))
      .digest("hex")
      .slice(0, 16);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  /** A text's unit vector: each feature hashed to a signed dimension, weighed by its boost, log count and IDF. */
  embed(text: string): number[] {
    const vector = new Array<number>(this.dimension).fill(0);
    const add = (feature: string, count: number, boost: number) => {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      vector[h % this.dimension]! += sign * boost * (1 + Math.log(count)) * this.idf(feature);
    };
    const fitted = this.remembered?.texts.get(text);
    if (fitted) {
      this.remembered!.texts.delete(text);
      for (let i = 0; i < fitted.ids.length; i++) add(this.remembered!.names[fitted.ids[i]!]!, fitted.counts[i]!, fitted.boosts[i]!);
    } else {
      for (const [feature, { count, boost }] of features(this.analyzer, text)) add(feature, count, boost);
    }
    const norm = Math.hypot(...vector);
    return norm ? vector.map((v) => v / norm) : vector;
  }

  /** A feature's weight, computed from the document frequencies when needed rather than kept in a second table. */
  private idf(feature: string): number {
    const { df, documents } = this.weights;
    return idf(documents, Object.hasOwn(df, feature) ? df[feature]! : 0);
  }
}

/** Document frequencies over `texts` (features counted once per text, in order of first appearance), and each text's features. */
function learn(analyzer: Analyzer, texts: string[], dimension: number): { weights: LocalWeights; texts: Map<string, FittedText>; names: string[] } {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const frequencies: number[] = [];
  const fitted = new Map<string, FittedText>();
  for (const text of texts) {
    const found = features(analyzer, text);
    const entry: FittedText = { ids: new Uint32Array(found.size), counts: new Uint32Array(found.size), boosts: new Float32Array(found.size) };
    let i = 0;
    for (const [feature, { count, boost }] of found) {
      let id = ids.get(feature);
      if (id === undefined) {
        id = names.push(feature) - 1;
        ids.set(feature, id);
        frequencies.push(0);
      }
      frequencies[id]!++;
      entry.ids[i] = id;
      entry.counts[i] = count;
      entry.boosts[i++] = boost;
    }
    fitted.set(text, entry);
  }
  const df: Record<string, number> = {};
  names.forEach((name, id) => {
    df[name] = frequencies[id]!;
  });
  return { weights: { dimension, documents: texts.length, df }, texts: fitted, names };
}

function features(analyzer: Analyzer, text: string): Map<string, { count: number; boost: number }> {
  const { stems, concepts } = analyzer.analyze(text);
  const out = new Map<string, { count: number; boost: number }>();
  const add = (feature: string, boost: number) => {
    const entry = out.get(feature);
    if (entry) entry.count++;
    else out.set(feature, { count: 1, boost });
  };
  stems.forEach((s, i) => {
    add(s, 1);
    if (i > 0) add(`${stems[i - 1]}_${s}`, BIGRAM_BOOST);
  });
  for (const c of concepts) add(c, CONCEPT_BOOST);
  return out;
}

/** BM25's smoothed inverse document frequency; a feature the corpus never had counts as seen in no text. */
function idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}
