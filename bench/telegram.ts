/** Telegram throughput: updates handled per second through a local Bot API server with the runner, and update→reply latency. */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "@grammyjs/runner";
import { MemoryConversationStore } from "../src/answer/conversation.js";
import { AnswerEngine } from "../src/answer/engine.js";
import { FileInsightStore } from "../src/answer/insights.js";
import { createTelegramBot } from "../src/channels/telegram/bot.js";
import { isGlossary, loadGlossary } from "../src/knowledge/glossary.js";
import { ingest } from "../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../src/retrieval/knowledge-index.js";
import { FakeTelegram } from "../test/support/telegram-server.js";
import { evalQueries } from "./retrieval.js";
import { ms, percentile } from "./stats.js";

export async function benchTelegram(updates = 400, chats = 40): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-tg-"));
  const knowledgeDir = path.resolve("knowledge");
  await ingest({ knowledgeDir, indexDir: path.join(dir, "index"), embeddings: { provider: "local" } });
  const glossary = await loadGlossary(knowledgeDir);
  const index = await KnowledgeIndex.load(path.join(dir, "index"), { provider: "local" }, isGlossary(glossary) ? glossary : { terms: [] });
  const engine = new AnswerEngine({ index, conversations: new MemoryConversationStore(3600), insights: new FileInsightStore(path.join(dir, "data")) });
  const fake = await FakeTelegram.start();
  const bot = createTelegramBot({ token: fake.token, engine, apiRoot: fake.apiRoot, pacing: { private: 0, group: 0 } });
  await bot.init();
  const runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  const questions = await evalQueries();

  const sentAt = new Map<number, number[]>();
  const start = Date.now();
  for (let i = 0; i < updates; i++) {
    const chatId = 10_000 + (i % chats);
    fake.sendText({ id: chatId, type: "private" }, { id: chatId, first_name: "Bench", language_code: "fr" }, questions[i % questions.length]!);
    sentAt.set(chatId, [...(sentAt.get(chatId) ?? []), Date.now()]);
  }
  const finals = () => fake.calls.filter((c) => c.method === "sendMessage" && c.status === 200 && c.body.reply_markup);
  await fake.waitFor(() => finals().length >= updates, 120_000);
  const elapsed = Date.now() - start;

  const latencies: number[] = [];
  const seen = new Map<number, number>();
  for (const call of finals()) {
    const chatId = Number(call.body.chat_id);
    const k = seen.get(chatId) ?? 0;
    seen.set(chatId, k + 1);
    latencies.push(call.at - sentAt.get(chatId)![k]!);
  }
  console.log(
    `telegram (runner, extractive): ${updates} updates from ${chats} chats in ${ms(elapsed)} → ${((updates / elapsed) * 1000).toFixed(0)} updates/s | ` +
      `update→reply p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}`,
  );
  await runner.stop();
  await fake.close();
}
