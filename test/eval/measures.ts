/**
 * The measures `npm run eval` prints on `questions.yaml`, `holdout.yaml` and `similar.yaml`: rank figures (hit@1,
 * hit@3, MRR), abstention, the extractive answers' first citation and length, similar-project ranking. Shared by
 * `run.ts` (which prints them) and `test/retrieval/eval-regression.test.ts` (which holds them as floors).
 */
import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { answerText } from "../../src/answer/render-text.js";
import type { KnowledgeIndex, SearchResult } from "../../src/retrieval/knowledge-index.js";

const QuestionSchema = z.array(z.object({ q: z.string(), lang: z.enum(["fr", "en"]), expect: z.array(z.string()) }));
export type Question = z.infer<typeof QuestionSchema>[number];
export type QuestionFile = "questions.yaml" | "holdout.yaml" | "similar.yaml";

const here = new URL("./", import.meta.url);

/** One of the eval's question files; `expect: []` marks a question the assistant must refuse. */
export async function loadQuestions(file: QuestionFile): Promise<Question[]> {
  return QuestionSchema.parse(YAML.parse(await readFile(new URL(file, here), "utf8")));
}

export interface Row {
  q: string;
  expect: string[];
  /** Documents retrieved, best first, each once. */
  ids: string[];
  answered: boolean;
  similarity: number;
  coverage: number;
}

/** Position of the first expected id in `ids`, -1 when none is there. */
export function rankOf(ids: string[], expect: string[]): number {
  return ids.findIndex((id) => expect.includes(id));
}

const docsOf = (search: SearchResult) => [...new Set(search.hits.map((h) => h.chunk.docId))];

/** Searches each question once: the documents found and whether the kit is judged to cover it. */
export async function searchRows(index: KnowledgeIndex, items: Question[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const item of items) {
    const search = await index.search(item.q);
    out.push({ q: item.q, expect: item.expect, ids: docsOf(search), answered: search.answered, similarity: search.similarity, coverage: search.coverage });
  }
  return out;
}

export interface RankFigures {
  n: number;
  hit1: number;
  hit3: number;
  mrr: number;
}

/** hit@1, hit@3 and MRR of ranks as `rankOf` gives them (-1: not found). */
export function rankFigures(ranks: number[]): RankFigures {
  return {
    n: ranks.length,
    hit1: ranks.filter((r) => r === 0).length / ranks.length,
    hit3: ranks.filter((r) => r >= 0 && r < 3).length / ranks.length,
    mrr: ranks.reduce((s, r) => s + (r >= 0 ? 1 / (r + 1) : 0), 0) / ranks.length,
  };
}

/** Rank figures of the in-domain questions (those with an expected document). */
export function retrievalMetrics(list: Array<{ expect: string[]; ids: string[] }>): RankFigures {
  return rankFigures(list.filter((r) => r.expect.length).map((r) => rankOf(r.ids, r.expect)));
}

export interface Abstention {
  rightRefusals: number;
  outOfDomain: number;
  falseRefusals: number;
  inDomain: number;
}

/** Out-of-domain questions refused and in-domain questions refused, `decide` saying whether a row is answered. */
export function abstention(list: Row[], decide: (r: Row) => boolean): Abstention {
  const out = list.filter((r) => !r.expect.length);
  const inn = list.filter((r) => r.expect.length);
  return { rightRefusals: out.filter((r) => !decide(r)).length, outOfDomain: out.length, falseRefusals: inn.filter((r) => !decide(r)).length, inDomain: inn.length };
}

export interface ExtractiveFigures {
  /** In-domain questions answered. */
  answered: number;
  /** Of those, answers whose first citation is an expected document. */
  firstCitedOk: number;
  /** `answerText` lengths of the answers, ascending. */
  lengths: number[];
}

/** Asks each in-domain question: is the first cited document an expected one, and how long is the answer? */
export async function extractiveFigures(engine: AnswerEngine, items: Question[]): Promise<ExtractiveFigures> {
  let firstCitedOk = 0;
  let answered = 0;
  const lengths: number[] = [];
  for (const item of items.filter((q) => q.expect.length)) {
    const reply = await engine.ask({ question: item.q, channel: "eval" });
    if (!reply.answered) continue;
    answered++;
    if (item.expect.includes(reply.citations[0]?.id ?? "")) firstCitedOk++;
    lengths.push(answerText(reply).length);
  }
  return { answered, firstCitedOk, lengths: lengths.sort((a, b) => a - b) };
}

/** Rank of the first expected case among the similar projects of each query (-1: not listed). */
export async function similarRanks(engine: AnswerEngine, items: Question[]): Promise<number[]> {
  const ranks: number[] = [];
  for (const item of items) {
    const result = await engine.similar(item.q);
    ranks.push(
      rankOf(
        result.results.map((r) => r.id),
        item.expect,
      ),
    );
  }
  return ranks;
}
