/** The answer engine the channel benchmarks share: the shipped corpus ingested with local embeddings, extractive answers. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MemoryConversationStore } from "../src/answer/conversation.js";
import { AnswerEngine } from "../src/answer/engine.js";
import { FileInsightStore } from "../src/answer/insights.js";
import { isGlossary, loadGlossary } from "../src/knowledge/glossary.js";
import { ingest } from "../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../src/retrieval/knowledge-index.js";

export interface BenchEngine {
  engine: AnswerEngine;
  close(): Promise<void>;
}

export async function benchEngine(): Promise<BenchEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-engine-"));
  const knowledgeDir = path.resolve("knowledge");
  await ingest({ knowledgeDir, indexDir: path.join(dir, "index"), embeddings: { provider: "local" } });
  const glossary = await loadGlossary(knowledgeDir);
  const index = await KnowledgeIndex.load(path.join(dir, "index"), { provider: "local" }, isGlossary(glossary) ? glossary : { terms: [] });
  const engine = new AnswerEngine({ index, conversations: new MemoryConversationStore(3600), insights: new FileInsightStore(path.join(dir, "data")) });
  return { engine, close: () => rm(dir, { recursive: true, force: true }) };
}
