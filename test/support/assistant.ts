/** A real answer engine over the shipped index, with in-memory conversations and file insights in a temp dir. */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { MemoryConversationStore, type ConversationStore } from "../../src/answer/conversation.js";
import { AnswerEngine } from "../../src/answer/engine.js";
import type { Generator } from "../../src/answer/generator.js";
import { FileInsightStore, type InsightStore } from "../../src/answer/insights.js";
import { isGlossary, loadGlossary } from "../../src/knowledge/glossary.js";
import { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";

let shared: Promise<KnowledgeIndex> | undefined;

/** The shipped knowledge base's index, loaded once per test file. */
export function sharedIndex(): Promise<KnowledgeIndex> {
  shared ??= (async () => {
    const glossary = await loadGlossary(inject("knowledgeDir"));
    return KnowledgeIndex.load(inject("indexDir"), { provider: "local" }, isGlossary(glossary) ? glossary : { terms: [] });
  })();
  return shared;
}

export async function testEngine(options: { generator?: Generator; conversations?: ConversationStore; insights?: InsightStore } = {}): Promise<AnswerEngine> {
  const index = await sharedIndex();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-data-"));
  return new AnswerEngine({
    index,
    conversations: options.conversations ?? new MemoryConversationStore(3600),
    insights: options.insights ?? new FileInsightStore(dataDir),
    generator: options.generator,
  });
}

/**
 * A real engine whose questions fail, as an unforeseen bug would: the engine degrades on every failure it knows
 * (Redis gone, a model timing out), so the channels' last-resort error reply can only be reached this way.
 */
export async function failingEngine(options: { conversations?: ConversationStore; insights?: InsightStore } = {}): Promise<AnswerEngine> {
  const engine = await testEngine(options);
  engine.ask = async () => {
    throw new Error("an unforeseen failure");
  };
  return engine;
}

/** Redis for tests: REDIS_URL or the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
