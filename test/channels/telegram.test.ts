/** The real grammY bot, driven end to end through a local server that speaks (and enforces) the Bot API. */
import { randomUUID } from "node:crypto";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { afterEach, describe, expect, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import { createGenerator } from "../../src/cli/runtime.js";
import { loadConfig } from "../../src/config/config.js";
import { RedisRateLimiter } from "../../src/channels/rate-limit.js";
import { createTelegramBot, registerCommands } from "../../src/channels/telegram/bot.js";
import { startTelegram } from "../../src/channels/telegram/run.js";
import { telegramSettings } from "../../src/cli/services.js";
import { createLogger } from "../../src/shared/logger.js";
import { failingEngine, sharedIndex, testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";
import { FakeOpenAI } from "../support/openai-server.js";
import { FakeTelegram, type ChatRef, type UserRef } from "../support/telegram-server.js";

const db = useTestRedis("telegram");
const logger = createLogger("silent");
let fake: FakeTelegram;
const runners: RunnerHandle[] = [];

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => (r.isRunning() ? r.stop() : undefined)));
  await fake?.close();
});

let nextId = 1000;
const privateChat = (): ChatRef => ({ id: nextId++, type: "private" });
const user = (language_code = "fr"): UserRef => ({ id: nextId++, first_name: "Awa", language_code });

/** Starts the bot with the runner against a fresh fake server. */
async function startBot(options: { rateLimit?: number; privacyMode?: boolean; engine?: Awaited<ReturnType<typeof testEngine>> } = {}) {
  fake = await FakeTelegram.start({ privacyMode: options.privacyMode ?? true });
  const engine = options.engine ?? (await testEngine({ conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`) }));
  const bot = createTelegramBot({
    token: fake.token,
    engine,
    apiRoot: fake.apiRoot,
    rateLimiter: new RedisRateLimiter(db.redis, options.rateLimit ?? 50, 60, `${db.prefix}rate:${randomUUID()}:`),
    logger,
    pacing: { private: 0, group: 0 },
  });
  await bot.init();
  runners.push(run(bot, { runner: { fetch: { timeout: 1 } } }));
  return { bot, engine };
}

const sentTo = (chat: ChatRef) => fake.sent(chat.id);
const waitForMessages = (chat: ChatRef, count = 1) => fake.waitFor(() => fake.sent(chat.id).length >= count, 10_000);
const rejected = () => fake.calls.filter((c) => c.status >= 400 && c.status !== 429);

describe("Telegram bot", () => {
  it("answers a private question in HTML with citations, buttons and a typing status", async () => {
    await startBot();
    const chat = privateChat();
    fake.sendText(chat, user(), "Comment constituer un comité de pilotage ?");
    await waitForMessages(chat);
    const [message] = sentTo(chat);
    expect(message.text).toContain("comité de pilotage");
    expect(message.text).toMatch(/Sources/);
    expect(message.entities.some((e: { type: string }) => e.type === "bold")).toBe(true);
    const call = fake.calls.find((c) => c.method === "sendMessage")!;
    expect(call.body.parse_mode).toBe("HTML");
    const buttons = message.reply_markup.inline_keyboard.flat();
    // Reading on first (the rest, sources, similar), then the sheet's other sections, then feedback.
    const rows = message.reply_markup.inline_keyboard.map((row: Array<{ text: string }>) => row.map((b) => b.text));
    expect(rows[0]).toEqual(["➕ La suite", "📚 Sources", "🔎 Projets similaires"]);
    expect(rows[1].length).toBeGreaterThan(0);
    for (const label of rows[1]) expect(label.startsWith("§ ")).toBe(true);
    expect(rows.at(-1)).toEqual(["👍 Utile", "👎 Pas utile"]);
    // Chat-sized: one message, well under Telegram's limit.
    expect(sentTo(chat)).toHaveLength(1);
    expect(message.text.length).toBeLessThan(1800);
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(fake.chatActions.some((a) => a.chat_id === chat.id && a.action === "typing")).toBe(true);
    expect(rejected()).toEqual([]);
  });

  it("answers in English to an English speaker, and follows /lang", async () => {
    await startBot();
    const chat = privateChat();
    const english = user("en");
    fake.sendText(chat, english, "How do I structure a partner diagnosis?");
    await waitForMessages(chat);
    expect(sentTo(chat)[0].text).toMatch(/^In \d+ steps: /);
    fake.sendText(chat, english, "/lang fr");
    await waitForMessages(chat, 2);
    fake.sendText(chat, english, "How do I structure a partner diagnosis?");
    await waitForMessages(chat, 3);
    expect(sentTo(chat)[2].text).toMatch(/^En \d+ étapes : /);
  });

  it("in a group, answers a mention and a reply to itself, and ignores other messages", async () => {
    await startBot({ privacyMode: false });
    const group: ChatRef = { id: -nextId++, type: "supergroup", title: "Équipe pilote" };
    const member = user();
    fake.sendText(group, member, "Bonjour à tous, réunion demain à 10 h");
    fake.sendText(group, member, "@terrinclus_bot comment financer une coopération ?");
    await waitForMessages(group);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(group)).toHaveLength(1);
    const answer = sentTo(group)[0];
    expect(answer.text).toMatch(/financ/i);
    const firstCall = fake.calls.find((c) => c.method === "sendMessage" && c.body.chat_id === group.id)!;
    expect(firstCall.body.reply_parameters?.message_id).toBeDefined();
    fake.sendText(group, member, "et le FICOL ?", { reply_to_message: answer });
    await waitForMessages(group, 2);
    expect(sentTo(group)[1].text).toMatch(/FICOL/);
  });

  it("handles the buttons: feedback, sources, similar projects, and refuses forged data", async () => {
    const { engine } = await startBot();
    const chat = privateChat();
    const someone = user();
    fake.sendText(chat, someone, "protection de l'enfance au Maroc : comment évaluer notre coopération ?");
    await waitForMessages(chat);
    const answer = sentTo(chat)[0];
    const data = (label: string) => answer.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text.includes(label)).callback_data as string;

    fake.clickButton(chat, someone, answer, data("Pas utile"));
    await fake.waitFor(() => fake.callbackAnswers.length === 1);
    expect(fake.callbackAnswers[0]!.text).toMatch(/Merci/);
    const answerId = data("Pas utile").split(":")[2]!;
    expect((await engine.answerRecord(answerId))?.feedback?.useful).toBe(false);

    fake.clickButton(chat, someone, answer, data("Sources"));
    await waitForMessages(chat, 2);
    expect(sentTo(chat)[1].text).toMatch(/^Sources/);
    expect(sentTo(chat)[1].entities.some((e: { type: string }) => e.type === "text_link")).toBe(true);

    fake.clickButton(chat, someone, answer, data("similaires"));
    await waitForMessages(chat, 3);
    expect(sentTo(chat)[2].text).toMatch(/Coopérations documentées proches/);
    expect(sentTo(chat)[2].text).toMatch(/Maroc/);
    expect(fake.callbackAnswers).toHaveLength(3);

    // "More": the quoted section whole; a section button: that section of the sheet.
    fake.clickButton(chat, someone, answer, data("La suite"));
    await waitForMessages(chat, 4);
    // The rest is the quoted section whole: headed by its section, longer than the answer, the answer's passage in it.
    const quoted = (await engine.answerRecord(answerId))!.citations![0]!;
    const rest = sentTo(chat)[3].text as string;
    expect(rest).toContain(quoted.section.split(" › ").at(-1));
    expect(rest.length).toBeGreaterThan(answer.text.length);
    const sectionButton = answer.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text.startsWith("§ "));
    fake.clickButton(chat, someone, answer, sectionButton.callback_data);
    await waitForMessages(chat, 5);
    expect(sentTo(chat)[4].text).toContain(sectionButton.text.slice(2).replace(/…$/, ""));
    expect(fake.callbackAnswers).toHaveLength(5);
  });

  it("/similar lists documented cooperations with why they match", async () => {
    await startBot();
    const chat = privateChat();
    fake.sendText(chat, user("en"), "/similar a child-protection cooperation in Morocco");
    await waitForMessages(chat);
    const text = sentTo(chat)[0].text as string;
    expect(text).toMatch(/Meurthe-et-Moselle/);
    expect(text).toMatch(/same country: Morocco/);
  });

  it("/start, /help and /sources answer in the user's language; commands are registered in French and English", async () => {
    const { bot } = await startBot();
    await registerCommands(bot);
    expect((fake.commandsFor(undefined, "fr") ?? []).map((c) => c.command)).toContain("similar");
    expect((fake.commandsFor(undefined, "en") ?? []).find((c) => c.command === "ask")?.description).toMatch(/Ask a question/);
    const chat = privateChat();
    const english = user("en");
    fake.sendText(chat, english, "/start");
    await waitForMessages(chat, 2);
    expect(sentTo(chat)[0]!.text).toMatch(/^Hello!/);
    fake.sendText(chat, english, "/sources");
    await waitForMessages(chat, 3);
    expect(sentTo(chat)[2]!.text).toMatch(/No answer with sources/);
    fake.sendText(chat, english, "What is FICOL?");
    await waitForMessages(chat, 4);
    fake.sendText(chat, english, "/sources");
    await waitForMessages(chat, 5);
    expect(sentTo(chat)[4].text).toMatch(/Funding cooperation/);
  });

  it("survives hostile input: HTML-like text, entities, emoji, combining marks, huge and empty messages, stickers, photos", async () => {
    await startBot();
    const chat = privateChat();
    const someone = user();
    const inputs = [
      "<b>comment</b> évaluer & <i>suivre</i> un projet ? </b><script>alert(1)</script>",
      "/similar <b>Maroc</b> & jeunesse 👩🏽‍⚕️ <a href='x'>",
      "Coope\u0301ration de\u0301centralise\u0301e : quels indicateurs ? 🇫🇷🇲🇦 ‍ ",
      "diagnostic ".repeat(1000),
      "/ask",
    ];
    for (const text of inputs) fake.sendText(chat, someone, text);
    fake.sendSticker(chat, someone);
    fake.sendPhoto(chat, someone, "regardez");
    await waitForMessages(chat, inputs.length + 2);
    expect(rejected()).toEqual([]);
    const texts = sentTo(chat).map((m) => m.text as string);
    expect(texts.at(-1)).toMatch(/Je ne lis que le texte/);
    expect(texts.some((t) => /Écrivez votre question après \/ask/.test(t))).toBe(true);
  });

  it("splits an answer longer than 4,096 characters into messages Telegram accepts, formatting intact", async () => {
    const openai = await FakeOpenAI.start();
    const paragraph = "La **gouvernance** partagée suppose un comité de pilotage & des règles écrites <claires> [1]. ";
    openai.reply(() => `${Array.from({ length: 6 }, (_, i) => `${i + 1}. ${paragraph.repeat(12)}`).join("\n")}\n\n${paragraph.repeat(20)}`);
    try {
      const config = loadConfig({ LLM_BASE_URL: openai.baseURL, LLM_MODEL: "test-model", LLM_TIMEOUT_MS: "10000" });
      const index = await sharedIndex();
      const generator = createGenerator(config, () => index);
      const engine = await testEngine({ generator, conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`) });
      await startBot({ engine });
      const chat = privateChat();
      fake.sendText(chat, user(), "comment constituer un comité de pilotage ?");
      await fake.waitFor(() => fake.calls.some((c) => c.method === "sendMessage" && c.body.reply_markup), 15_000);
      const messages = sentTo(chat);
      expect(messages.length).toBeGreaterThanOrEqual(3);
      for (const m of messages) expect([...m.text].length).toBeLessThanOrEqual(4096);
      expect(messages.every((m) => m.entities?.some((e: { type: string }) => e.type === "bold"))).toBe(true);
      expect(messages.map((m) => m.text).join("\n")).toContain("<claires>");
      // The buttons come once, under the last part.
      expect(messages.filter((m) => m.reply_markup)).toHaveLength(1);
      expect(
        messages
          .at(-1)
          .reply_markup.inline_keyboard.flat()
          .map((b: { text: string }) => b.text),
      ).toEqual(expect.arrayContaining(["📚 Sources", "👍 Utile", "👎 Pas utile"]));
      expect(rejected()).toEqual([]);
    } finally {
      await openai.close();
    }
  });

  it("retries after a 429 with retry_after", async () => {
    await startBot();
    const chat = privateChat();
    fake.floodWait("sendMessage", 1, 1);
    fake.sendText(chat, user(), "qu'est-ce que la capitalisation ?");
    await waitForMessages(chat);
    const attempts = fake.calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("limits each user's questions (kept in Redis) and says when to try again, once", async () => {
    await startBot({ rateLimit: 2 });
    const chat = privateChat();
    const someone = user();
    for (const q of ["FICOL ?", "comité de pilotage ?", "diagnostic partagé ?", "indicateurs ?"]) fake.sendText(chat, someone, q);
    await waitForMessages(chat, 3);
    await new Promise((r) => setTimeout(r, 300));
    const texts = sentTo(chat).map((m) => m.text as string);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toMatch(/réessayez dans \d+ s/);
  });

  it("reports an internal error to the user in their language and keeps running", async () => {
    await startBot({ engine: await failingEngine() });
    const chat = privateChat();
    fake.sendText(chat, user("en"), "What is FICOL?");
    await waitForMessages(chat);
    expect(sentTo(chat)[0].text).toMatch(/Sorry, something went wrong/);
    fake.sendText(chat, user("en"), "/help");
    await waitForMessages(chat, 2);
    expect(sentTo(chat)[1].text).toMatch(/Commands:/);
  });
});

describe("Telegram webhook mode", () => {
  it("refuses requests without the secret token and answers those with it", async () => {
    fake = await FakeTelegram.start();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram/hook",
      TELEGRAM_WEBHOOK_SECRET: "s3cr3t-token",
      PORT: "0",
    });
    const engine = await testEngine({ conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`) });
    const running = await startTelegram(telegramSettings(config), engine, db.redis, logger);
    try {
      expect(fake.calls.find((c) => c.method === "setWebhook")?.body.secret_token).toBe("s3cr3t-token");
      const chat = privateChat();
      const update = fake.makeTextUpdate(chat, user(), "Qu'est-ce qu'un diagnostic partagé ?");
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${running.port}/telegram/hook`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(update) });
      expect((await post({})).status).toBe(401);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "wrong" })).status).toBe(401);
      expect(fake.sent(chat.id)).toHaveLength(0);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "s3cr3t-token" })).status).toBe(200);
      await waitForMessages(chat);
      expect(fake.sent(chat.id)[0].text).toMatch(/diagnostic/i);
      expect((await fetch(`http://127.0.0.1:${running.port}/elsewhere`, { method: "POST" })).status).toBe(404);
    } finally {
      await running.stop();
    }
  });
});
