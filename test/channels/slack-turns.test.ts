/** Slack's log lines: one per event, command and button, with the event id, kind, latency and outcome, without text. */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import { RedisInsightStore } from "../../src/answer/insights.js";
import { slackService, type SlackService } from "../../src/channels/slack/run.js";
import { TurnLog } from "../../src/channels/turn-log.js";
import { testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";
import { eventEnvelope, FakeSlack, signedPost } from "../support/slack-server.js";

const db = useTestRedis("slack-turns");
const SECRET = "test-signing-secret-turns";

describe("Slack turn log", () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: "info", base: undefined }, stream);
  const turns = new TurnLog(logger);
  let fake: FakeSlack;
  let service: SlackService;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    const engine = await testEngine({ conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`), insights: new RedisInsightStore(db.redis, `${db.prefix}insights:`) });
    service = slackService(
      { botToken: fake.botToken, signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, threadTtlSeconds: 600, pacingMs: 0, redisPrefix: `${db.prefix}slack:` },
      engine,
      db.redis,
      logger,
      undefined,
      undefined,
      turns,
    );
    await service.start();
  });
  afterAll(async () => {
    await service?.stop();
    await fake?.close();
  });

  it("logs a mention's event id, kind, outcome, language and latency, and a message not addressed to the app as ignored", async () => {
    const url = `http://127.0.0.1:${service.port}/slack/events`;
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const eventId = `Ev${randomUUID().slice(0, 10).toUpperCase()}`;
    const text = "comment constituer un comité de pilotage ?";
    await signedPost(url, SECRET, eventEnvelope("T0TEST", { type: "app_mention", user: "U0AWA", text: `<@UBOT> ${text}`, ts: "1700000000.000100", channel, event_ts: "1" }, eventId), "application/json");
    await fake.waitFor(() => fake.messages(channel).length >= 1);
    await turns.drained();
    expect(lines.find((l) => l.event_id === eventId)).toMatchObject({ msg: "turn", channel: "slack", kind: "app_mention", outcome: "answered", lang: "fr", latency_ms: expect.any(Number) });

    const chatter = `Ev${randomUUID().slice(0, 10).toUpperCase()}`;
    await signedPost(
      url,
      SECRET,
      eventEnvelope("T0TEST", { type: "message", user: "U0AWA", text: "on déjeune à midi ?", ts: "1700000000.000200", channel, channel_type: "channel", event_ts: "1" }, chatter),
      "application/json",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await turns.drained();
    expect(lines.find((l) => l.event_id === chatter)).toMatchObject({ msg: "turn", kind: "message", outcome: "ignored" });
    expect(JSON.stringify(lines)).not.toMatch(/comité|déjeune/);
  });
});
