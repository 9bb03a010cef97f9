/** Builds the search index from the knowledge directory: passages, their vectors, BM25 terms, answered questions, manifest. */
import { CodedError } from "../shared/errors.js";
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DocumentError } from "../knowledge/document.js";
import { GLOSSARY_FILE, isGlossary, loadGlossary } from "../knowledge/glossary.js";
import { loadKnowledge } from "../knowledge/loader.js";
import { Analyzer } from "./analyzer.js";
import { Bm25Index } from "./bm25.js";
import { headerText, indexedText, type Chunk } from "./chunk.js";
import { chunkDocument } from "./chunker.js";
import { ConceptMatcher } from "./concepts.js";
import { createEmbeddingModel, embeddingsName, type EmbeddingsSettings } from "./embedding-model.js";
import { DEFAULT_LOCAL_DIMENSION, type LocalEmbeddings } from "./local-embeddings.js";
import { INDEX_FORMAT, MANIFEST_FILE, readManifest, type Manifest } from "./manifest.js";
import { bankEntries, writeQuestionBank } from "./question-bank.js";
import { calibrate, offDomainQuestions } from "./calibration.js";
import { buildDictionary, DICTIONARY_FILE } from "./dictionary.js";
import { writePassages } from "./passage-store.js";
import { readVectorCache, textKey, writeVectorCache } from "./vector-cache.js";
import { VectorIndex } from "./vector-index.js";

export const BM25_FILE = "bm25.json";
export const WEIGHTS_FILE = "weights.json";
/** Name of the passages' vectors in an index directory (`VectorIndex` files). */
export const PASSAGE_VECTORS = "passage-vectors";
const EMBED_BATCH = 64;

export interface IngestOptions {
  knowledgeDir: string;
  indexDir: string;
  embeddings: EmbeddingsSettings;
  /** Refuse to write an index when any file is invalid. */
  strict?: boolean;
  /** Rebuild even when nothing changed. */
  force?: boolean;
  onProgress?: (event: { phase: "embed"; done: number; total: number }) => void;
}

export interface IngestResult {
  /** false when the index was already up to date and nothing was written. */
  written: boolean;
  files: number;
  chunks: number;
  embedded: number;
  errors: DocumentError[];
  manifest?: Manifest;
}

/** Builds the index in a staging directory, embedding only texts not in the vector cache, then swaps it in; writes nothing when unchanged (or, strict, on an invalid file). */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const { documents, errors } = await loadKnowledge(options.knowledgeDir);
  const glossary = await loadGlossary(options.knowledgeDir);
  if (!isGlossary(glossary)) errors.push(glossary);
  const glossaryHash = await hashFile(path.join(options.knowledgeDir, GLOSSARY_FILE));
  const result = { files: documents.length, errors };
  if (options.strict && errors.length) return { ...result, written: false, chunks: 0, embedded: 0 };

  const previous = await readManifest(options.indexDir);
  if (!options.force && previous && unchanged(previous, documents, glossaryHash, options.embeddings)) {
    return { ...result, written: false, chunks: previous.chunks, embedded: 0, manifest: previous };
  }

  // The word lists change only with their packages: an index being rebuilt passes its dictionary on (`--force` remakes it).
  // Built first, so that its passing bulk is not added to the vectors' at the run's peak of memory.
  const reused = options.force ? undefined : await readFile(path.join(options.indexDir, DICTIONARY_FILE), "utf8").catch(() => undefined);
  const dictionary = reused ?? (await buildDictionary());
  const analyzer = new Analyzer(new ConceptMatcher(isGlossary(glossary) ? glossary : { terms: [] }));
  const chunks = documents.flatMap((doc) => chunkDocument(doc));
  const bank = bankEntries(documents, chunks);
  const passageTexts = chunks.map(indexedText);
  const bankTexts = bank.map((e) => e.q);
  // Semantic embeddings are calibrated on in-domain questions (the bank, else the documents' titles) and off-domain ones.
  const calibrating = options.embeddings.provider !== "local";
  const inDomainTexts = !calibrating || bankTexts.length ? [] : [...new Set(chunks.map((c) => c.title))];
  const offDomainTexts = calibrating ? await offDomainQuestions() : [];
  // Answered questions are embedded like passages (and weigh in the local embeddings' word statistics).
  const texts = [...passageTexts, ...bankTexts, ...inDomainTexts, ...offDomainTexts];
  const model = await createEmbeddingModel(options.embeddings, analyzer, { fitTexts: texts });

  // Local vectors follow weights fitted on the whole corpus, so that any edit changes them all: only remote ones are cached.
  const cached = options.embeddings.provider !== "local";
  const cache = cached ? await readVectorCache(options.indexDir, model.fingerprint) : new Map<string, number[]>();
  const keys = texts.map(textKey);
  const missing = [...new Set(keys.filter((k) => !cache.has(k)))];
  const textByKey = new Map(keys.map((k, i) => [k, texts[i]!]));
  for (let i = 0; i < missing.length; i += EMBED_BATCH) {
    const batch = missing.slice(i, i + EMBED_BATCH);
    const vectors = await model.embeddings.embedDocuments(batch.map((k) => textByKey.get(k)!));
    batch.forEach((k, j) => cache.set(k, vectors[j]!));
    options.onProgress?.({ phase: "embed", done: Math.min(i + EMBED_BATCH, missing.length), total: missing.length });
  }
  const allVectors = keys.map((k) => cache.get(k)!);
  const vectors = allVectors.slice(0, chunks.length);
  const bankVectors = allVectors.slice(chunks.length, chunks.length + bank.length);
  const configured = options.embeddings.provider === "local" ? options.embeddings.dimension : options.embeddings.dimensions;
  const dimension = vectors[0]?.length ?? configured ?? DEFAULT_LOCAL_DIMENSION;

  // Unique per run, not per process: in a container every process is PID 1, and two ingests may run at once.
  const staging = `${options.indexDir.replace(/\/+$/, "")}.tmp-${randomUUID()}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });

  const store = VectorIndex.build(vectors, dimension);
  await store.write(staging, PASSAGE_VECTORS);
  await writePassages(staging, chunks);

  const bm25 = Bm25Index.build(chunks.map((c) => ({ id: c.chunkId, terms: lexicalTerms(analyzer, c) })));
  await writeFile(path.join(staging, BM25_FILE), JSON.stringify(bm25));
  if (options.embeddings.provider === "local") {
    await writeFile(path.join(staging, WEIGHTS_FILE), JSON.stringify((model.embeddings as LocalEmbeddings).weights));
  }
  await writeQuestionBank(staging, bank, bankVectors);
  const calibration = calibrating
    ? calibrate(
        nearestSimilarities(store, bank.length ? bankVectors : allVectors.slice(chunks.length + bank.length, texts.length - offDomainTexts.length)),
        nearestSimilarities(store, allVectors.slice(texts.length - offDomainTexts.length)),
      )
    : undefined;
  await writeFile(path.join(staging, DICTIONARY_FILE), dictionary);
  if (cached) await writeVectorCache(staging, model.fingerprint, new Map(keys.map((k, i) => [k, allVectors[i]!])));
  const chunksPerFile = new Map<string, number>();
  for (const c of chunks) chunksPerFile.set(c.path, (chunksPerFile.get(c.path) ?? 0) + 1);
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    builtAt: new Date().toISOString(),
    embeddings: { name: model.name, dimension, fingerprint: model.fingerprint },
    glossaryHash,
    chunks: chunks.length,
    files: documents.map((d) => ({ path: d.path, hash: d.hash, id: d.meta.id, lang: d.meta.lang, kind: d.meta.kind, chunks: chunksPerFile.get(d.path) ?? 0 })),
    errors,
    ...(calibration ? { calibration } : {}),
  };
  await writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  await swapInto(staging, options.indexDir);
  return { ...result, written: true, chunks: chunks.length, embedded: missing.length, manifest };
}

/** For each vector, the cosine similarity of its nearest passage. */
function nearestSimilarities(store: VectorIndex, vectors: number[][]): number[] {
  return vectors.map((vector) => store.search(vector, 1)[0]?.similarity ?? 0);
}

/** Title, headings and keywords count twice: a passage is about what its headings say. */
function lexicalTerms(analyzer: Analyzer, chunk: Chunk): string[] {
  const header = analyzer.analyze(headerText(chunk), chunk.lang).terms;
  return [...header, ...header, ...analyzer.analyze(chunk.text, chunk.lang).terms];
}

/**
 * Whether the index in `indexDir` is up to date with `knowledgeDir` for these embeddings: the check `ingest` makes
 * before rebuilding (same files, glossary and embeddings), without building or writing anything.
 */
export async function indexUpToDate(options: Pick<IngestOptions, "knowledgeDir" | "indexDir" | "embeddings">): Promise<boolean> {
  const { documents } = await loadKnowledge(options.knowledgeDir);
  const glossaryHash = await hashFile(path.join(options.knowledgeDir, GLOSSARY_FILE));
  const previous = await readManifest(options.indexDir);
  return previous !== undefined && unchanged(previous, documents, glossaryHash, options.embeddings);
}

function unchanged(previous: Manifest, documents: Array<{ path: string; hash: string }>, glossaryHash: string, settings: EmbeddingsSettings): boolean {
  if (previous.glossaryHash !== glossaryHash) return false;
  if (previous.embeddings.name !== embeddingsName(settings)) return false;
  if (previous.files.length !== documents.length) return false;
  const known = new Map(previous.files.map((f) => [f.path, f.hash]));
  return documents.every((d) => known.get(d.path) === d.hash);
}

/**
 * Replaces the index directory in one rename, so a running reader never sees half an index. When the new
 * index cannot take its place (e.g. the target is a mount point, which cannot be renamed), the old one is
 * put back and the error says so.
 */
async function swapInto(staging: string, target: string): Promise<void> {
  const old = `${target.replace(/\/+$/, "")}.old-${randomUUID()}`;
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const hadIndex = await rename(target, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw new CodedError("INDEX_SWAP_FAILED", `Could not move the old index ${target} aside (${error.code}): the new index is left in ${staging}. If ${target} is a mount point, mount its parent directory instead.`, {
        cause: error,
      });
    },
  );
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadIndex) await rename(old, target).catch(() => undefined);
    throw new CodedError("INDEX_SWAP_FAILED", `Could not put the new index in ${target} (${(error as NodeJS.ErrnoException).code}); ${hadIndex ? "the old index was put back" : "there was no index before"}.`, {
      cause: error,
    });
  }
  await rm(old, { recursive: true, force: true });
}

async function hashFile(file: string): Promise<string> {
  try {
    return createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  } catch {
    return "none";
  }
}
