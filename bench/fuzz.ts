/**
 * Fuzzing: hostile messages, commands, button presses and interaction payloads (./hostile.ts, seeded) through the
 * real in-process Telegram bot and Slack app, against local platform servers that reject what the platforms reject.
 * Prints what was sent and what went wrong; asserts nothing; the run is broken when a handler crashed, a platform
 * refused a reply or a button press was left unanswered.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ConversationStore } from "../src/answer/conversation.js";
import { AnswerEngine } from "../src/answer/engine.js";
import { FileInsightStore } from "../src/answer/insights.js";
import { isGlossary, loadGlossary } from "../src/knowledge/glossary.js";
import { ingest } from "../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../src/retrieval/knowledge-index.js";
import { fuzzSlack, fuzzTelegram, openFuzzRig, type FuzzFindings } from "./fuzz-harness.js";
import { slackCases, telegramCases } from "./hostile.js";
import { isMain, printReport, type BenchReport } from "./report.js";
import { ms } from "./stats.js";

export interface FuzzOptions {
  redisUrl: string;
  /** Cases per channel. */
  count?: number;
  seed?: number;
}

export async function benchFuzz(options: FuzzOptions): Promise<BenchReport> {
  const count = options.count ?? 1000;
  const seed = options.seed ?? 12;
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-fuzz-"));
  const rig = await openFuzzRig(options.redisUrl, (conversations) => shippedEngine(dir, conversations));
  try {
    const results = [await fuzzTelegram(rig, (context) => telegramCases(count, seed, context)), await fuzzSlack(rig, (context) => slackCases(count, seed, context))];
    const lines = [`fuzz: ${count} hostile cases per channel (seed ${seed}), in-process bots, local platform servers, real Redis under a prefix of its own`];
    for (const r of results) lines.push(...describe(r));
    lines.push("");
    const broken = results.flatMap((r) => [
      ...(r.crashes.length ? [`${r.channel}: ${r.crashes.length} crash(es)`] : []),
      ...(r.rejections.length ? [`${r.channel}: ${r.rejections.length} platform rejection(s)`] : []),
      ...(r.unanswered ? [`${r.channel}: ${r.unanswered} button press(es) unanswered`] : []),
    ]);
    return { lines, broken };
  } finally {
    await rig.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The answer engine over the shipped corpus (indexed into `dir`, local embeddings, extractive answers). */
async function shippedEngine(dir: string, conversations: ConversationStore): Promise<AnswerEngine> {
  const knowledgeDir = path.resolve("knowledge");
  await ingest({ knowledgeDir, indexDir: path.join(dir, "index"), embeddings: { provider: "local" } });
  const glossary = await loadGlossary(knowledgeDir);
  const index = await KnowledgeIndex.load(path.join(dir, "index"), { provider: "local" }, isGlossary(glossary) ? glossary : { terms: [] });
  return new AnswerEngine({ index, conversations, insights: new FileInsightStore(path.join(dir, "data")) });
}

function describe(r: FuzzFindings): string[] {
  const kinds = Object.entries(r.kinds)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `  ${r.channel.padEnd(8)} ${r.cases} cases (${kinds}) in ${ms(r.ms)}: ${r.replies} replies accepted; crashes ${r.crashes.length}, platform rejections ${r.rejections.length}, unanswered button presses ${r.unanswered}`,
    ...distinct([...r.crashes, ...r.rejections])
      .slice(0, 12)
      .map((line) => `    ${line}`),
  ];
}

/** Findings with the same beginning counted once (`×n`). */
function distinct(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const key = line
      .replace(/^case \d+ /, "case … ")
      .replace(/character \d+/, "character …")
      .slice(0, 200);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `${line}${n > 1 ? ` ×${n}` : ""}`);
}

if (isMain(import.meta.url)) printReport(await benchFuzz({ redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }));
