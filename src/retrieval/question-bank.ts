/**
 * The questions each document says it answers (front matter `questions`), indexed as extra entries that
 * point to their document and section: everyday wordings find the passage that answers them.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { LangSchema, type Lang } from "../shared/lang.js";
import type { KnowledgeDocument } from "../knowledge/document.js";
import type { Analyzer } from "./analyzer.js";
import { Bm25Index } from "./bm25.js";
import type { Chunk } from "./chunk.js";
import { VectorIndex } from "./vector-index.js";

const QUESTIONS_FILE = "questions.json";
const VECTORS = "question-vectors";

export interface BankEntry {
  docId: string;
  lang: Lang;
  q: string;
  /** The first passage of the section that answers it (the document's first passage when no section is named). */
  chunkId: string;
}

const BankFileSchema = z.object({
  entries: z.array(z.object({ docId: z.string(), lang: LangSchema, q: z.string(), chunkId: z.string() })),
});

/** One entry per question of every document, pointing to the passage its section starts with. */
export function bankEntries(documents: KnowledgeDocument[], chunks: Chunk[]): BankEntry[] {
  const entries: BankEntry[] = [];
  for (const doc of documents) {
    const own = chunks.filter((c) => c.docId === doc.meta.id && c.lang === doc.meta.lang);
    if (!own.length) continue;
    for (const question of doc.meta.questions) {
      const section = question.section;
      const target = section === undefined ? own[0]! : (own.find((c) => c.section === section || c.section.startsWith(`${section} › `)) ?? own[0]!);
      entries.push({ docId: doc.meta.id, lang: doc.meta.lang, q: question.q, chunkId: target.chunkId });
    }
  }
  return entries;
}

/** Writes the entries (JSON) and their vectors (a `VectorIndex`) into an index directory. */
export async function writeQuestionBank(dir: string, entries: BankEntry[], vectors: number[][]): Promise<void> {
  await writeFile(path.join(dir, QUESTIONS_FILE), JSON.stringify({ entries }));
  await VectorIndex.build(vectors, vectors[0]?.length ?? 0).write(dir, VECTORS);
}

export interface BankHit {
  entry: BankEntry;
  score: number;
  /** Lexical hits: share of the query's weighted terms the question contains. */
  coverage?: number;
}

/** The answered questions of an index, searchable by terms (BM25) and by vector. */
export class QuestionBank {
  private constructor(
    readonly entries: BankEntry[],
    private readonly lexical: Bm25Index,
    private readonly vectors: VectorIndex,
  ) {}

  static empty(): QuestionBank {
    return new QuestionBank([], Bm25Index.build([]), VectorIndex.build([], 0));
  }

  /** Reads the bank an index directory holds; an index built before banks existed has an empty one. */
  static async load(dir: string, analyzer: Analyzer): Promise<QuestionBank> {
    let raw: string;
    try {
      raw = await readFile(path.join(dir, QUESTIONS_FILE), "utf8");
    } catch {
      return QuestionBank.empty();
    }
    const { entries } = BankFileSchema.parse(JSON.parse(raw));
    const vectors = await VectorIndex.read(dir, VECTORS);
    if (vectors.size !== entries.length) throw new Error(`${QUESTIONS_FILE} lists ${entries.length} questions but ${VECTORS} holds ${vectors.size} vectors`);
    const lexical = Bm25Index.build(entries.map((e, i) => ({ id: String(i), terms: analyzer.analyze(e.q, e.lang).terms })));
    return new QuestionBank(entries, lexical, vectors);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Bank questions sharing the query's terms, best first (BM25). */
  searchTerms(terms: string[], k: number): BankHit[] {
    return this.lexical.search(terms, k).map((h) => ({ entry: this.entries[Number(h.id)]!, score: h.score, coverage: h.coverage }));
  }

  /** Bank questions nearest to a query vector (cosine similarity), best first. */
  searchVector(query: number[], k: number): BankHit[] {
    return this.vectors.search(query, k).map((hit) => ({ entry: this.entries[hit.index]!, score: hit.similarity }));
  }
}
