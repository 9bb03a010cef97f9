/** The loaded index: hybrid search (BM25 + vectors, fused by reciprocal rank) with filters and abstention. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Document } from "@langchain/core/documents";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import type { Glossary, Source } from "../knowledge/schema.js";
import type { Lang } from "../knowledge/vocabulary.js";
import { Analyzer, type Analysis } from "./analyzer.js";
import { Bm25Index, type Bm25Data } from "./bm25.js";
import type { Chunk, ChunkMeta } from "./chunk.js";
import { ConceptMatcher } from "./concepts.js";
import { createEmbeddingModel, embeddingsName, type EmbeddingModel, type EmbeddingsSettings } from "./embedding-model.js";
import { matchesFilter, type SearchFilter } from "./filters.js";
import { BM25_FILE, WEIGHTS_FILE } from "./ingest.js";
import type { LocalWeights } from "./local-embeddings.js";
import { readManifest, type Manifest } from "./manifest.js";

/** Thresholds below which the kit is judged not to answer. Calibrated with `npm run eval` (both sets). */
export interface AbstentionThresholds {
  minSimilarity: number;
  minCoverage: number;
  /** Below this coverage an answer is given with a caution: the kit covers the question only in part. */
  confidentCoverage: number;
}
export const DEFAULT_THRESHOLDS: AbstentionThresholds = { minSimilarity: 0, minCoverage: 0.48, confidentCoverage: 0.65 };

const RRF_K = 60;
/** Documents ranked by title and keywords that take part in the fusion, and the weight of that ranking. */
const TOPIC_DOCUMENTS = 5;
const TOPIC_WEIGHT = 0.5;
/** Share of the question a title and keywords must name to count: a passing word in a title does not. */
const TOPIC_MIN_COVERAGE = 0.3;
const CANDIDATES = 40;
/** A passage in the other language keeps this share of its fused score. */
const OTHER_LANGUAGE = 0.8;

export interface Hit {
  chunk: Chunk;
  /** Fused score relative to the best possible (1 = first in both rankings). */
  score: number;
  similarity: number;
  coverage: number;
}

export interface SearchOptions {
  /** Language of the query text (for stemming); detected when absent. */
  lang?: Lang;
  /** Language of the passages to prefer; the query's language when absent. */
  prefer?: Lang;
  filter?: SearchFilter;
  limit?: number;
}

export interface SearchResult {
  query: string;
  lang: Lang;
  analysis: Analysis;
  hits: Hit[];
  answered: boolean;
  /** Answered, but the kit covers only part of the question. */
  partial: boolean;
  /** Best vector similarity among the leading passages, and the share of the question one leading document covers. */
  similarity: number;
  coverage: number;
}

export class IndexMismatchError extends Error {}
export class MissingIndexError extends Error {}

export class KnowledgeIndex {
  private readonly chunks = new Map<string, Chunk>();
  /** The first passage of each document and language: its metadata. */
  private readonly firstPassages: readonly ChunkMeta[];
  /** Documents by what they say they are about (title and keywords), one entry per document and language. */
  private readonly topics: Bm25Index;

  private constructor(
    readonly manifest: Manifest,
    readonly analyzer: Analyzer,
    private readonly model: EmbeddingModel,
    private readonly vectors: HNSWLib,
    private readonly bm25: Bm25Index,
    readonly thresholds: AbstentionThresholds,
  ) {
    const count = vectors.index?.getCurrentCount() ?? 0;
    for (let label = 0; label < count; label++) {
      const doc = vectors.docstore.search(String(label)) as Document<ChunkMeta>;
      this.chunks.set(doc.metadata.chunkId, { ...doc.metadata, text: doc.pageContent });
    }
    this.firstPassages = [...this.chunks.values()].filter((c) => c.position === 0);
    this.topics = Bm25Index.build(
      this.documents().map((d) => ({ id: `${d.docId}.${d.lang}`, terms: analyzer.analyze(`${d.title}\n${d.keywords.join(", ")}`, d.lang).terms })),
    );
  }

  /** Loads an index directory; refuses an index built by other embeddings than the configured ones. */
  static async load(dir: string, settings: EmbeddingsSettings, glossary: Pick<Glossary, "terms">, thresholds = DEFAULT_THRESHOLDS): Promise<KnowledgeIndex> {
    const manifest = await readManifest(dir);
    if (!manifest) throw new MissingIndexError(`No index in ${dir}. Run \`terrinclus ingest\` to build it.`);
    // Local embeddings without a dimension setting take the index's own.
    const configured = settings.provider === "local" && !settings.dimension ? { ...settings, dimension: manifest.embeddings.dimension } : settings;
    const expected = embeddingsName(configured);
    const reingest = "Re-ingest with `terrinclus ingest --force` (or set EMBEDDINGS back).";
    if (manifest.embeddings.name !== expected) {
      throw new IndexMismatchError(`The index in ${dir} was built with embeddings "${manifest.embeddings.name}" but "${expected}" are configured. ${reingest}`);
    }
    const analyzer = new Analyzer(new ConceptMatcher(glossary));
    const weights = configured.provider === "local" ? await readWeights(dir) : undefined;
    if (configured.provider === "local" && !weights) throw new IndexMismatchError(`The index in ${dir} has no readable ${WEIGHTS_FILE}. ${reingest}`);
    // Remote embeddings need no local weights.
    const model = createEmbeddingModel(configured, analyzer, weights ? { weights } : { fitTexts: [] });
    if (model.fingerprint !== manifest.embeddings.fingerprint) {
      throw new IndexMismatchError(`The index in ${dir} does not match its own embedding weights. ${reingest}`);
    }
    const vectors = await HNSWLib.load(dir, model.embeddings);
    const bm25 = Bm25Index.fromJSON(JSON.parse(await readFile(path.join(dir, BM25_FILE), "utf8")) as Bm25Data);
    return new KnowledgeIndex(manifest, analyzer, model, vectors, bm25, thresholds);
  }

  get size(): number {
    return this.chunks.size;
  }

  chunk(chunkId: string): Chunk | undefined {
    return this.chunks.get(chunkId);
  }

  /** Every passage of a document in a language, in reading order. */
  passages(docId: string, lang: Lang): Chunk[] {
    const out: Chunk[] = [];
    for (let i = 0; this.chunks.has(`${docId}.${lang}#${i}`); i++) out.push(this.chunks.get(`${docId}.${lang}#${i}`)!);
    return out;
  }

  /** A document's metadata in a language (its first passage), or undefined when it has no such version. */
  document(docId: string, lang: Lang): Chunk | undefined {
    return this.chunks.get(`${docId}.${lang}#0`);
  }

  /** The full source list of a document. */
  documentSources(docId: string, lang: Lang): Source[] {
    return this.document(docId, lang)?.sources ?? [];
  }

  /** Languages in which a document exists. */
  languagesOf(docId: string): Lang[] {
    return (["fr", "en"] as const).filter((l) => this.document(docId, l));
  }

  /** One metadata record per document and language (first passage). */
  documents(): readonly ChunkMeta[] {
    return this.firstPassages;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const analysis = this.analyzer.analyze(query, options.lang);
    const lang = options.prefer ?? analysis.lang;
    const filter = options.filter ?? {};
    const accept = (id: string) => matchesFilter(this.chunks.get(id)!, filter);

    const lexical = this.bm25.search(analysis.terms, CANDIDATES, accept);
    const semantic = analysis.terms.length ? await this.vectorSearch(query, filter) : [];

    const fused = new Map<string, { score: number; similarity: number; coverage: number }>();
    const bump = (id: string, rank: number, signal: { similarity?: number; coverage?: number }) => {
      const entry = fused.get(id) ?? { score: 0, similarity: 0, coverage: 0 };
      entry.score += 1 / (RRF_K + rank + 1);
      entry.similarity = Math.max(entry.similarity, signal.similarity ?? 0);
      entry.coverage = Math.max(entry.coverage, signal.coverage ?? 0);
      fused.set(id, entry);
    };
    lexical.forEach((hit, rank) => bump(hit.id, rank, { coverage: hit.coverage }));
    semantic.forEach((hit, rank) => bump(hit.id, rank, { similarity: hit.similarity }));
    // A document whose title or keywords name the question's topic lifts its passages already found.
    const topics = this.topics.search(analysis.terms, TOPIC_DOCUMENTS).filter((t) => t.coverage >= TOPIC_MIN_COVERAGE);
    topics.forEach((topic, rank) => {
      for (const [id, entry] of fused) if (id.startsWith(`${topic.id}#`)) entry.score += TOPIC_WEIGHT / (RRF_K + rank + 1);
    });

    const best = (2 + TOPIC_WEIGHT) / (RRF_K + 1);
    const found: Hit[] = [...fused]
      .map(([id, s]) => ({ chunk: this.chunks.get(id)!, score: s.score / best, similarity: s.similarity, coverage: s.coverage }))
      .sort((a, b) => b.score - a.score);

    // Whether the kit answers is judged on the passages as found, before the language preference:
    // a translation shares few words with the question.
    const lead = found.slice(0, 3);
    const similarity = Math.max(0, ...lead.map((h) => h.similarity));
    // How much of the question one document of the leading passages covers, all its sections together.
    const byDocument = this.bm25.coverageByGroup(analysis.coverageUnits, (id) => id.slice(0, id.lastIndexOf("#")));
    const coverage = Math.max(0, ...lead.map((h) => byDocument.get(`${h.chunk.docId}.${h.chunk.lang}`) ?? 0));

    const preferred = found.map((h) => (h.chunk.lang === lang ? h : { ...h, score: h.score * OTHER_LANGUAGE }));
    const hits = this.preferLanguage(preferred, lang, filter).sort((a, b) => b.score - a.score).slice(0, options.limit ?? 8);
    const answered = hits.length > 0 && similarity >= this.thresholds.minSimilarity && coverage >= this.thresholds.minCoverage;
    const partial = answered && coverage < this.thresholds.confidentCoverage;
    return { query, lang, analysis, hits, answered, partial, similarity, coverage };
  }

  private async vectorSearch(query: string, filter: SearchFilter): Promise<Array<{ id: string; similarity: number }>> {
    const k = Math.min(CANDIDATES, this.chunks.size);
    if (!k) return [];
    const vector = await this.model.embeddings.embedQuery(query);
    const predicate = (doc: Document) => matchesFilter(doc.metadata as ChunkMeta, filter);
    const results = await this.vectors.similaritySearchVectorWithScore(vector, k, Object.keys(filter).length ? predicate : undefined);
    return results.map(([doc, distance]) => ({ id: (doc.metadata as ChunkMeta).chunkId, similarity: 1 - distance }));
  }

  /**
   * A passage found in the other language is swapped for its twin in the question's language
   * (same document, same position) when that twin exists and passes the filter.
   */
  private preferLanguage(hits: Hit[], lang: Lang, filter: SearchFilter): Hit[] {
    const byId = new Map(hits.map((h) => [h.chunk.chunkId, h]));
    for (const hit of hits) {
      if (hit.chunk.lang === lang) continue;
      const twin = this.chunks.get(`${hit.chunk.docId}.${lang}#${hit.chunk.position}`);
      if (!twin || !matchesFilter(twin, filter)) continue;
      const existing = byId.get(twin.chunkId);
      const promoted = { ...hit, chunk: twin, score: hit.score / OTHER_LANGUAGE };
      if (!existing || existing.score < promoted.score) byId.set(twin.chunkId, promoted);
      byId.delete(hit.chunk.chunkId);
    }
    return [...byId.values()];
  }
}

async function readWeights(dir: string): Promise<LocalWeights | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, WEIGHTS_FILE), "utf8")) as LocalWeights;
  } catch {
    return undefined;
  }
}
