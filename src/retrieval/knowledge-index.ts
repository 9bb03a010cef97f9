/** The loaded index: hybrid search (BM25 + vectors, fused by reciprocal rank) with filters and abstention. */
import { CodedError } from "../shared/errors.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Glossary, Source } from "../knowledge/schema.js";
import type { Lang } from "../shared/lang.js";
import { Analyzer, type Analysis } from "./analyzer.js";
import { Bm25Index, type Bm25Data } from "./bm25.js";
import type { Chunk, ChunkMeta } from "./chunk.js";
import { ConceptMatcher } from "./concepts.js";
import { createEmbeddingModel, embeddingsName, type EmbeddingModel, type EmbeddingsSettings } from "./embedding-model.js";
import { matchesFilter, type SearchFilter } from "./filters.js";
import { BM25_FILE, PASSAGE_VECTORS, WEIGHTS_FILE } from "./ingest.js";
import type { LocalWeights } from "./local-embeddings.js";
import { INDEX_FORMAT, readManifest, storedFormat, type Manifest } from "./manifest.js";
import { DomainProfile } from "./domain.js";
import { Dictionary } from "./dictionary.js";
import { focus } from "./focus.js";
import { QuestionBank, type BankHit } from "./question-bank.js";
import { readPassages } from "./passage-store.js";
import { SpellingCorrector } from "./spelling.js";
import { VectorIndex } from "./vector-index.js";
import { indexedText } from "./chunk.js";
import { fold, isStopword, words } from "../shared/text.js";

/** When the kit is judged to cover a question with local embeddings. Set with `npm run eval` on the tuning sets only; semantic embeddings use their own calibration (see `calibration.ts`). */
export interface AbstentionThresholds {
  /** Share of the question's content words that belong to the kit's domain (see `DomainProfile`). */
  minDomainShare: number;
  /** A question close to one a document says it answers needs only this share… */
  minShareNearQuestion: number;
  /** …when the closest answered question holds at least this share of its weighted terms. */
  minBankCoverage: number;
  /** Below this share an answer is given with a caution: the kit covers the question only in part. */
  confidentShare: number;
}
const DEFAULT_THRESHOLDS: AbstentionThresholds = { minDomainShare: 0.55, minShareNearQuestion: 0.2, minBankCoverage: 0.3, confidentShare: 0.75 };

const RRF_K = 60;
/** Documents ranked by title and keywords that take part in the fusion, and the weight of that ranking. */
const TOPIC_DOCUMENTS = 5;
const TOPIC_WEIGHT = 0.5;
/** Share of the question a title and keywords must name to count: a passing word in a title does not. */
const TOPIC_MIN_COVERAGE = 0.3;
const CANDIDATES = 40;
/** Answered questions that take part in the fusion, by words and by vector. */
const BANK_CANDIDATES = 10;
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
  /** Documents of the conversation's topic: their passages are lifted like a document whose title names the topic. */
  boostDocs?: string[];
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
  /** Share of the question's content words that belong to the kit's domain (0..1); undefined when all are general words. */
  domainShare: number | undefined;
  /** Share of the question's weighted terms that the closest answered question contains (0..1). */
  bankCoverage: number;
  /** Passages that the closest answered questions point to, with the share of the question each holds (best first). */
  answeredBy: Array<{ chunkId: string; coverage: number }>;
  /** Unknown words read as known ones ("comitee" → "comite"). */
  corrections: Array<{ from: string; to: string }>;
}

/** The index on disk was built otherwise than the configuration asks (embeddings, weights): re-ingest. */
export class IndexMismatchError extends CodedError {
  constructor(message: string) {
    super("INDEX_MISMATCH", message);
  }
}

/** There is no index where the configuration points: ingest. */
export class MissingIndexError extends CodedError {
  constructor(message: string) {
    super("INDEX_MISSING", message);
  }
}

/** The loaded index: passages with their vectors, BM25 terms and answered questions, searched together; read-only. */
export class KnowledgeIndex {
  private readonly chunks = new Map<string, Chunk>();
  /** The passages in the order of their vectors. */
  private readonly ordered: readonly Chunk[];
  /** The first passage of each document and language: its metadata. */
  private readonly firstPassages: readonly ChunkMeta[];
  /** Documents by what they say they are about (title and keywords), one entry per document and language. */
  private readonly topics: Bm25Index;
  private readonly domain: DomainProfile;
  private readonly speller: SpellingCorrector;

  private constructor(
    readonly manifest: Manifest,
    readonly analyzer: Analyzer,
    private readonly model: EmbeddingModel,
    passages: readonly Chunk[],
    private readonly vectors: VectorIndex,
    private readonly bm25: Bm25Index,
    private readonly bank: QuestionBank,
    dictionary: Dictionary,
    glossary: Pick<Glossary, "terms">,
    readonly thresholds: AbstentionThresholds,
  ) {
    this.ordered = passages;
    for (const passage of passages) this.chunks.set(passage.chunkId, passage);
    this.firstPassages = [...this.chunks.values()].filter((c) => c.position === 0);
    this.topics = Bm25Index.build(this.documents().map((d) => ({ id: `${d.docId}.${d.lang}`, terms: analyzer.analyze(`${d.title}\n${d.keywords.join(", ")}`, d.lang).terms })));
    const documentsByStem = bm25.groupsByTerm((id) => id.slice(0, id.indexOf(".")));
    this.domain = new DomainProfile(documentsByStem, new Set(this.firstPassages.map((d) => d.docId)).size, headers(this.chunks.values()), bank.entries, glossary);
    const known = vocabulary(
      [...this.chunks.values()].map(indexedText),
      bank.entries.map((e) => e.q),
      glossary,
    );
    this.speller = new SpellingCorrector(known, (word) => dictionary.has(word));
  }

  /** Loads an index directory; refuses an index built by other embeddings than the configured ones. */
  static async load(dir: string, settings: EmbeddingsSettings, glossary: Pick<Glossary, "terms">, thresholds = DEFAULT_THRESHOLDS): Promise<KnowledgeIndex> {
    const manifest = await readManifest(dir);
    if (!manifest) {
      const format = await storedFormat(dir);
      if (format !== undefined && format !== INDEX_FORMAT) {
        throw new MissingIndexError(`The index in ${dir} was written by another version of terrinclus (index format ${format}; this version reads format ${INDEX_FORMAT}). Run \`terrinclus ingest\` to rebuild it.`);
      }
      throw new MissingIndexError(`No index in ${dir}. Run \`terrinclus ingest\` to build it.`);
    }
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
    const model = await createEmbeddingModel(configured, analyzer, weights ? { weights } : { fitTexts: [] });
    if (model.fingerprint !== manifest.embeddings.fingerprint) {
      throw new IndexMismatchError(`The index in ${dir} does not match its own embedding weights. ${reingest}`);
    }
    const passages = await readPassages(dir);
    const vectors = await VectorIndex.read(dir, PASSAGE_VECTORS);
    if (vectors.size !== passages.length) throw new IndexMismatchError(`The index in ${dir} holds ${passages.length} passages but ${vectors.size} vectors. ${reingest}`);
    const bm25 = Bm25Index.fromJSON(JSON.parse(await readFile(path.join(dir, BM25_FILE), "utf8")) as Bm25Data);
    const bank = await QuestionBank.load(dir, analyzer);
    const dictionary = await Dictionary.load(dir);
    return new KnowledgeIndex(manifest, analyzer, model, passages, vectors, bm25, bank, dictionary, glossary, thresholds);
  }

  /** Number of passages. */
  get size(): number {
    return this.chunks.size;
  }

  /** A passage by its id (`<doc>.<lang>#<position>`). */
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

  /**
   * Reads a chat message as a question: greetings, politeness and the asker's introduction set aside, unknown
   * words matched to the kit's vocabulary; then hybrid retrieval over passages and answered questions, and
   * whether the kit covers it.
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const focused = focus(query);
    const corrections: SearchResult["corrections"] = [];
    const text = this.correct(focused.topic, corrections);
    const analysis = this.analyzer.analyze(text, options.lang);
    const lang = options.prefer ?? analysis.lang;
    const filter = options.filter ?? {};
    const accept = (id: string) => matchesFilter(this.chunks.get(id)!, filter);
    // The asking clause counts twice: context sentences help, the question decides.
    const whole = focused.question === focused.topic;
    const asked = whole ? analysis : this.analyzer.analyze(this.correct(focused.question, []), analysis.lang);
    const terms = this.domain.topicTerms(whole ? analysis.terms : [...analysis.terms, ...asked.terms]);

    const lexical = this.bm25.search(terms, CANDIDATES, accept);
    const vector = analysis.terms.length ? await this.model.embeddings.embedQuery(text) : undefined;
    const nearby = vector ? this.vectorSearch(vector, filter) : [];
    const nearest = nearby[0]?.similarity ?? 0;
    // On a calibrated model's scale, what lies below the coverage line is noise, not evidence.
    const calibration = this.manifest.calibration;
    const semantic = calibration ? nearby.filter((h) => h.similarity >= calibration.threshold) : nearby;
    const bankWords = this.bank.searchTerms(asked.terms.length ? asked.terms : analysis.terms, BANK_CANDIDATES);
    const bankCoverage = Math.max(0, ...bankWords.map((h) => h.coverage ?? 0));
    const bankLexical = this.bankRanking(this.bank.searchTerms(terms, BANK_CANDIDATES), accept);
    const bankNearby = vector ? this.bank.searchVector(vector, BANK_CANDIDATES) : [];
    const bankSemantic = this.bankRanking(calibration ? bankNearby.filter((h) => h.score >= calibration.threshold) : bankNearby, accept);

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
    bankLexical.forEach((id, rank) => bump(id, rank, {}));
    bankSemantic.forEach((id, rank) => bump(id, rank, {}));
    /** Lifts the passages already found of the documents `inDocument` accepts. */
    const lift = (inDocument: (chunk: Chunk) => boolean, rank: number) => {
      for (const [id, entry] of fused) if (inDocument(this.chunks.get(id)!)) entry.score += TOPIC_WEIGHT / (RRF_K + rank + 1);
    };
    // A document whose title or keywords name the question's topic, then the conversation's topic.
    const topics = this.topics.search(terms, TOPIC_DOCUMENTS).filter((t) => t.coverage >= TOPIC_MIN_COVERAGE);
    topics.forEach((topic, rank) => lift((c) => `${c.docId}.${c.lang}` === topic.id, rank));
    if (options.boostDocs?.length) lift((c) => options.boostDocs!.includes(c.docId), 0);

    const best = (4 + TOPIC_WEIGHT) / (RRF_K + 1);
    const found: Hit[] = [...fused].map(([id, s]) => ({ chunk: this.chunks.get(id)!, score: s.score / best, similarity: s.similarity, coverage: s.coverage })).sort((a, b) => b.score - a.score);

    const lead = found.slice(0, 3);
    const similarity = Math.max(0, ...lead.map((h) => h.similarity));
    // How much of the question one document of the leading passages covers, all its sections together.
    const byDocument = this.bm25.coverageByGroup(analysis.coverageUnits, (id) => id.slice(0, id.lastIndexOf("#")));
    const coverage = Math.max(0, ...lead.map((h) => byDocument.get(`${h.chunk.docId}.${h.chunk.lang}`) ?? 0));
    const domainShare = this.domain.share(analysis);

    const preferred = found.map((h) => (h.chunk.lang === lang ? h : { ...h, score: h.score * OTHER_LANGUAGE }));
    const hits = this.preferLanguage(preferred, lang, filter)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.limit ?? 8);
    const { answered, partial } = calibration
      ? { answered: hits.length > 0 && nearest >= calibration.threshold, partial: nearest < calibration.confident }
      : this.lexicalDecision(hits.length > 0, coverage, domainShare, bankCoverage);
    const answeredBy = bankWords.filter((h) => accept(h.entry.chunkId)).map((h) => ({ chunkId: h.entry.chunkId, coverage: h.coverage ?? 0 }));
    return { query, lang, analysis, hits, answered, partial: answered && partial, similarity, coverage, domainShare, bankCoverage, answeredBy, corrections };
  }

  /** Without calibrated embeddings, the kit covers a question whose content words belong to its domain. */
  private lexicalDecision(found: boolean, coverage: number, domainShare: number | undefined, bankCoverage: number): { answered: boolean; partial: boolean } {
    const t = this.thresholds;
    // A question in general words only is judged by how close it is to a question a document answers.
    const nearQuestion = bankCoverage >= t.minBankCoverage;
    const covered = domainShare === undefined ? nearQuestion : domainShare >= t.minDomainShare || (domainShare >= t.minShareNearQuestion && nearQuestion);
    // Words no passage uses ("qui paie ?") still find their answer through a question a document says it answers.
    return { answered: found && (coverage > 0 || nearQuestion) && covered, partial: (domainShare ?? 0) < t.confidentShare };
  }

  /** The text with each unknown word replaced by its nearest known word; corrections are appended to `out`. */
  private correct(text: string, out: SearchResult["corrections"]): string {
    return text.replace(/[\p{L}\p{N}]+/gu, (word) => {
      const folded = fold(word);
      if (isStopword(folded)) return word;
      const corrected = this.speller.correct(folded);
      if (!corrected) return word;
      if (!out.some((c) => c.from === folded)) out.push({ from: folded, to: corrected });
      return corrected;
    });
  }

  /** Passages that answered questions point to, best first, each once. */
  private bankRanking(hits: BankHit[], accept: (id: string) => boolean): string[] {
    const ids: string[] = [];
    for (const hit of hits) if (!ids.includes(hit.entry.chunkId) && this.chunks.has(hit.entry.chunkId) && accept(hit.entry.chunkId)) ids.push(hit.entry.chunkId);
    return ids;
  }

  private vectorSearch(vector: number[], filter: SearchFilter): Array<{ id: string; similarity: number }> {
    const accept = Object.keys(filter).length ? (i: number) => matchesFilter(this.ordered[i]!, filter) : undefined;
    return this.vectors.search(vector, CANDIDATES, accept).map((hit) => ({ id: this.ordered[hit.index]!.chunkId, similarity: hit.similarity }));
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

/** Each distinct title, heading path, keyword list and summary of the passages, once. */
function headers(chunks: Iterable<Chunk>): Array<{ text: string; lang: Lang; summary: boolean }> {
  const seen = new Map<string, { text: string; lang: Lang; summary: boolean }>();
  for (const c of chunks) {
    for (const text of [c.title, c.section, c.keywords.join(", ")]) seen.set(`${c.lang}|${text}`, { text, lang: c.lang, summary: false });
    if (c.summary) seen.set(`${c.lang}|s|${c.summary}`, { text: c.summary, lang: c.lang, summary: true });
  }
  return [...seen.values()];
}

/** How often each folded word occurs in the indexed passages, the answered questions and the glossary. */
function vocabulary(passages: string[], questions: string[], glossary: Pick<Glossary, "terms">): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string) => {
    for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  passages.forEach(add);
  questions.forEach(add);
  for (const term of glossary.terms) [...term.fr, ...term.en].forEach(add);
  return counts;
}
