/**
 * Fuzzing, a small seeded sample of `npm run bench -- --only fuzz`: hostile messages, commands, button presses and
 * interaction payloads through the real in-process bots (Telegram through its webhook handler, Slack through its
 * HTTP receiver), against local servers that reject what the platforms reject, real Redis. No crash, no rejection,
 * every button press answered; and the bugs fuzzing found, one line each.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzSlack, fuzzTelegram, openFuzzRig, type FuzzRig } from "../../bench/fuzz-harness.js";
import { seededRandom, slackCases, telegramCases, type SlackCase, type TelegramCase } from "../../bench/hostile.js";
import { createTelegramBot } from "../../src/channels/telegram/bot.js";
import { webhookHandler } from "../../src/channels/telegram/run.js";
import { createLogger } from "../../src/shared/logger.js";
import { text } from "../../src/shared/texts.js";
import { failingEngine, TEST_REDIS_URL, testEngine } from "../support/assistant.js";
import { FakeTelegram } from "../support/telegram-server.js";

const CASES = 150;
const SEED = 20_261_206;
let rig: FuzzRig;

beforeAll(async () => {
  rig = await openFuzzRig(TEST_REDIS_URL, (conversations) => testEngine({ conversations }));
});
afterAll(async () => {
  await rig?.close();
});

/** Questions that broke the engine or the conversation store (fixed): a word that names a property of every object, lone surrogates. */
const BROKE = ["constructor", "toString capitalisation __proto__", "diagnostic partagé \ud800 au Maroc \ude00"];

describe("fuzzing the channels", () => {
  it("generates the same cases from the same seed", () => {
    const context = { answerIds: ["AbCdEf12"], milestoneIds: ["diagnostic"], milestoneRefs: ["ref0000000a"] };
    const slack = { ...context, botUserId: "UBOT", knownThread: { channel: "C1", ts: "1.2" } };
    expect(telegramCases(40, 7, context)).toEqual(telegramCases(40, 7, context));
    expect(slackCases(40, 7, slack)).toEqual(slackCases(40, 7, slack));
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it(`Telegram: ${CASES} hostile updates, no crash, no rejection, every button press answered`, async () => {
    const found = await fuzzTelegram(rig, (context) => telegramCases(CASES, SEED, context));
    expect(found.crashes).toEqual([]);
    expect(found.rejections).toEqual([]);
    expect(found.unanswered).toBe(0);
    expect(Object.keys(found.kinds).sort()).toEqual(["callback", "caption", "text"]);
    expect(found.replies).toBeGreaterThan(CASES / 2);
  });

  it(`Slack: ${CASES} hostile events, commands and button presses, no crash, no rejection`, async () => {
    const found = await fuzzSlack(rig, (context) => slackCases(CASES, SEED, context));
    expect(found.crashes).toEqual([]);
    expect(found.rejections).toEqual([]);
    expect(Object.keys(found.kinds).sort()).toEqual(["action", "bad-signature", "command", "event"]);
    expect(found.replies).toBeGreaterThan(CASES / 3);
  });

  it("regressions: questions that named an object property or held lone surrogates are answered on both platforms", async () => {
    const user = { id: 6_100_001, first_name: "Awa", language_code: "fr" };
    const telegram = await fuzzTelegram(rig, () =>
      BROKE.map((question): TelegramCase => ({ kind: "text", chat: "private", chatId: user.id, user, text: question, mention: false, replyToBot: false, anonymousAdmin: false })),
    );
    expect(telegram.crashes).toEqual([]);
    const slack = await fuzzSlack(rig, (context) =>
      BROKE.map((question, i): SlackCase => ({ kind: "event", event: { type: "message", channel_type: "im", channel: "D0REGRESS", user: "U0AWA", text: question, ts: `1700000100.00000${i}`, event_ts: "1" } })).concat(
        BROKE.map(
          (question, i): SlackCase => ({ kind: "event", event: { type: "app_mention", channel: "C0REGRESS", user: "U0AWA", text: `<@${context.botUserId}> ${question}`, ts: `1700000200.00000${i}`, event_ts: "1" } }),
        ),
      ),
    );
    expect(slack.crashes).toEqual([]);
    expect(slack.rejections).toEqual([]);
  });

  it("regression: through the webhook, a handler that fails tells the user and answers 200, so Telegram does not deliver the update again", async () => {
    const fake = await FakeTelegram.start();
    const bot = createTelegramBot({ token: fake.token, engine: await failingEngine(), apiRoot: fake.apiRoot, logger: createLogger("silent"), pacing: { private: 0, group: 0 } });
    await bot.init();
    const serve = webhookHandler(bot, "regression-secret", createLogger("silent"));
    const server = http.createServer((req, res) => void serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const chat = { id: 6_100_002, type: "private" as const };
      const update = fake.makeTextUpdate(chat, { id: chat.id, first_name: "Awa", language_code: "fr" }, "Comment constituer un comité de pilotage ?");
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "regression-secret" },
        body: JSON.stringify(update),
      });
      expect(response.status).toBe(200);
      expect(fake.sent(chat.id).map((m) => m.text)).toEqual([text("error", "fr")]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    }
  });
});
