/** Telegram throughput: updates handled per second through a local Bot API server with the runner, and update→reply latency. */
import { run } from "@grammyjs/runner";
import type { AnswerEngine } from "../src/answer/engine.js";
import { createTelegramBot } from "../src/channels/telegram/bot.js";
import { FakeTelegram } from "../test/support/telegram-server.js";
import type { ChannelFigures } from "./slack.js";
import { percentile } from "./stats.js";

/** `updates` private messages from `chats` chats, all queued at once; the reply is the message with the buttons. */
export async function benchTelegram(engine: AnswerEngine, questions: string[], updates = 400, chats = 40): Promise<ChannelFigures> {
  const fake = await FakeTelegram.start();
  const bot = createTelegramBot({ token: fake.token, engine, apiRoot: fake.apiRoot, pacing: { private: 0, group: 0 } });
  await bot.init();
  const runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  try {
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
    return { messages: updates, conversations: chats, elapsedMs: elapsed, perSecond: (updates / elapsed) * 1000, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  } finally {
    await runner.stop();
    await fake.close();
  }
}
