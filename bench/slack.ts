/**
 * Slack throughput: the real Bolt app in HTTP mode, fed mentions signed exactly as Slack signs them, answering
 * through a local Web API server that records the posts; real Redis (claims, threads) under a prefix of its own.
 */
import { randomBytes } from "node:crypto";
import type { AnswerEngine } from "../src/answer/engine.js";
import { slackService } from "../src/channels/slack/run.js";
import { createLogger } from "../src/shared/logger.js";
import { createRedis } from "../src/shared/redis.js";
import { eventEnvelope, FakeSlack, signedPost } from "../test/support/slack-server.js";
import { deleteKeys } from "./redis-keys.js";
import { percentile } from "./stats.js";

/** What a channel benchmark measures. */
export interface ChannelFigures {
  messages: number;
  conversations: number;
  elapsedMs: number;
  perSecond: number;
  /** Message in → the reply's last message posted. */
  p50: number;
  p95: number;
  /** Slack only: how long the receiver took to answer the signed POST (Slack wants it within 3 s). */
  ack?: { p50: number; p95: number; max: number };
}

const SECRET = "FAKE-bench-signing-secret";

/**
 * `events` mentions (`app_mention`) spread over `channels` channels, each answered in its thread. They are posted
 * with `inFlight` requests at a time (a burst, like Telegram's queued updates).
 */
export async function benchSlack(engine: AnswerEngine, questions: string[], redisUrl: string, events = 400, channels = 40, inFlight = 40): Promise<ChannelFigures> {
  const fake = await FakeSlack.start();
  const redis = createRedis(redisUrl, "requests");
  await redis.connect();
  const prefix = `terrinclus-bench:slack:${process.pid}:${randomBytes(3).toString("hex")}:`;
  const service = slackService({ botToken: fake.botToken, signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, threadTtlSeconds: 600, pacingMs: 0, redisPrefix: prefix }, engine, redis, createLogger("silent"));
  await service.start();
  const url = `http://127.0.0.1:${service.port}/slack/events`;
  try {
    const clock = Math.floor(Date.now() / 1000);
    const items = Array.from({ length: events }, (_, i) => ({
      channel: `C0BENCH${String(i % channels).padStart(3, "0")}`,
      ts: `${clock + i}.${String(i).padStart(6, "0")}`,
      question: questions[i % questions.length]!,
    }));
    const sentAt = new Map<string, number>();
    const acks: number[] = [];
    const start = Date.now();
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < items.length; i = next++) {
        const item = items[i]!;
        const event = { type: "app_mention", user: "U0BENCH", text: `<@${fake.botUserId}> ${item.question}`, ts: item.ts, channel: item.channel, event_ts: item.ts };
        const body = eventEnvelope(fake.teamId, event, `Ev${String(i).padStart(8, "0")}`);
        const posted = Date.now();
        sentAt.set(item.ts, posted);
        const response = await signedPost(url, SECRET, body, "application/json");
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`receiver answered ${response.status}`);
        acks.push(Date.now() - posted);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, sender));
    const threads = () => new Set(fake.posts.filter((p) => p.thread_ts && sentAt.has(p.thread_ts)).map((p) => p.thread_ts));
    await fake.waitFor(() => threads().size >= events, 120_000);
    // Long answers are several messages: let the last parts arrive, then measure to each thread's last post.
    for (let count = -1; count !== fake.posts.length; ) {
      count = fake.posts.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    if (fake.refused().length) throw new Error(`the local Web API refused ${fake.refused().length} call(s): ${JSON.stringify(fake.refused()[0])}`);
    const last = new Map<string, number>();
    for (const post of fake.posts) if (post.thread_ts && sentAt.has(post.thread_ts)) last.set(post.thread_ts, Math.max(last.get(post.thread_ts) ?? 0, post.at));
    const latencies = [...last].map(([ts, at]) => at - sentAt.get(ts)!);
    const elapsed = Math.max(...last.values()) - start;
    return {
      messages: events,
      conversations: channels,
      elapsedMs: elapsed,
      perSecond: (events / elapsed) * 1000,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      ack: { p50: percentile(acks, 50), p95: percentile(acks, 95), max: Math.max(...acks) },
    };
  } finally {
    await service.stop();
    await fake.close();
    await deleteKeys(redis, `${prefix}*`);
    await redis.quit();
  }
}
