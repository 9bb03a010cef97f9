/** Retrieval benchmark: ingest (cold, unchanged), load, query latency and memory, on a given knowledge directory. */
import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { isGlossary, loadGlossary } from "../src/knowledge/glossary.js";
import { ingest } from "../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../src/retrieval/knowledge-index.js";
import { mb, ms, percentile, timed } from "./stats.js";

export interface RetrievalFigures {
  passages: number;
  ingestColdMs: number;
  ingestUnchangedMs: number;
  loadMs: number;
  p50: number;
  p95: number;
  rss: number;
}

export async function benchRetrieval(label: string, knowledgeDir: string, indexDir: string, queries: string[], rounds = 5): Promise<RetrievalFigures> {
  const settings = { provider: "local" } as const;
  const [cold, ingestColdMs] = await timed(() => ingest({ knowledgeDir, indexDir, embeddings: settings, force: true }));
  const [, ingestUnchangedMs] = await timed(() => ingest({ knowledgeDir, indexDir, embeddings: settings }));
  const glossary = await loadGlossary(knowledgeDir);
  const [index, loadMs] = await timed(() => KnowledgeIndex.load(indexDir, settings, isGlossary(glossary) ? glossary : { terms: [] }));
  for (const q of queries.slice(0, 10)) await index.search(q); // warm-up
  const latencies: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const [, t] = await timed(() => index.search(q));
      latencies.push(t);
    }
  }
  const figures = { passages: cold.chunks, ingestColdMs, ingestUnchangedMs, loadMs, p50: percentile(latencies, 50), p95: percentile(latencies, 95), rss: process.memoryUsage().rss };
  console.log(
    `${label}: ${figures.passages} passages | ingest cold ${ms(ingestColdMs)}, unchanged ${ms(ingestUnchangedMs)} | load ${ms(loadMs)} | ` +
      `query p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)} (${latencies.length} queries) | RSS ${mb(figures.rss)}`,
  );
  return figures;
}

export async function evalQueries(): Promise<string[]> {
  const items = YAML.parse(await readFile(new URL("../test/eval/questions.yaml", import.meta.url), "utf8")) as Array<{ q: string }>;
  return items.map((i) => i.q);
}
