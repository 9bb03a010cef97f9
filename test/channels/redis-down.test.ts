/**
 * Redis gone while the bots run: they keep answering without conversation memory, rate limit or once-only check
 * (each degraded with a warning), instead of giving the error reply or staying silent.
 */
import { run, type RunnerHandle } from "@grammyjs/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import { RedisInsightStore } from "../../src/answer/insights.js";
import { RedisRateLimiter } from "../../src/channels/rate-limit.js";
import { slackService, type SlackService } from "../../src/channels/slack/run.js";
import { createTelegramBot } from "../../src/channels/telegram/bot.js";
import { createLogger } from "../../src/shared/logger.js";
import { createRedis } from "../../src/shared/redis.js";
import { testEngine } from "../support/assistant.js";
import { eventEnvelope, FakeSlack, signedPost } from "../support/slack-server.js";
import { FakeTelegram } from "../support/telegram-server.js";

/** A client of a Redis that is not there (nothing listens on port 1): every command fails after its retries. */
const gone = createRedis("redis://127.0.0.1:1", "requests");
gone.on("error", () => undefined);
const logger = createLogger("silent");
const engine = () => testEngine({ conversations: new RedisConversationStore(gone, 600), insights: new RedisInsightStore(gone) });

describe("with Redis gone", () => {
  let telegram: FakeTelegram;
  let slack: FakeSlack;
  let runner: RunnerHandle | undefined;
  let service: SlackService | undefined;
  beforeAll(async () => {
    [telegram, slack] = await Promise.all([FakeTelegram.start(), FakeSlack.start()]);
  });
  afterAll(async () => {
    if (runner?.isRunning()) await runner.stop();
    await service?.stop();
    await Promise.all([telegram?.close(), slack?.close()]);
    gone.disconnect();
  });

  it("the Telegram bot still answers a question (no memory, no rate limit)", async () => {
    const bot = createTelegramBot({ token: telegram.token, engine: await engine(), apiRoot: telegram.apiRoot, rateLimiter: new RedisRateLimiter(gone, 5, 60), logger, pacing: { private: 0, group: 0 } });
    await bot.init();
    runner = run(bot, { runner: { fetch: { timeout: 1 } } });
    const chat = { id: 8_800_001, type: "private" as const };
    telegram.sendText(chat, { id: 8_800_002, first_name: "Awa", language_code: "fr" }, "Comment constituer un comité de pilotage ?");
    await telegram.waitFor(() => telegram.sent(chat.id).length >= 1, 15_000);
    expect(telegram.sent(chat.id)[0].text).toMatch(/comité de pilotage/i);
    expect(telegram.sent(chat.id)[0].text).toMatch(/Sources/);
  });

  it("the Slack app still answers a mention (no once-only check, no thread memory)", async () => {
    const secret = "redis-down-signing-secret";
    service = slackService({ botToken: slack.botToken, signingSecret: secret, apiUrl: slack.apiUrl, port: 0, threadTtlSeconds: 600, pacingMs: 0 }, await engine(), gone, logger);
    await service.start();
    const event = { type: "app_mention", user: "U0AWA", text: "<@UBOT> comment constituer un comité de pilotage ?", ts: "1700000001.000100", channel: "C0REDISDOWN", event_ts: "1" };
    const response = await signedPost(`http://127.0.0.1:${service.port}/slack/events`, secret, eventEnvelope("T0TEST", event, "Ev0REDISDOWN"), "application/json");
    expect(response.status).toBe(200);
    await slack.waitFor(() => slack.messages("C0REDISDOWN").length >= 1, 15_000);
    expect(JSON.stringify(slack.messages("C0REDISDOWN")[0])).toMatch(/comité de pilotage/i);
  });
});
