import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpServer, redisReadiness } from "../../src/channels/http-server.js";
import { TEST_REDIS_URL, testEngine } from "../support/assistant.js";

describe("health and metrics on the shared HTTP server", () => {
  let server: HttpServer;
  let redis: Redis;
  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  beforeAll(async () => {
    // A connection of the test's own, closed to stand for a Redis that is gone.
    redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    server = new HttpServer(0);
    server.readiness("redis", redisReadiness(redis));
    server.readiness("index", () => undefined);
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    redis.disconnect();
  });

  it("/healthz answers ok", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("/metrics exposes the questions, latency and feedback after one question and one feedback", async () => {
    const engine = await testEngine();
    const reply = await engine.ask({ question: "Comment financer un projet de coopération ?", channel: "telegram", lang: "fr" });
    expect(await engine.feedback(reply.answerId, true, "telegram")).toBe(true);
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const body = await res.text();
    const outcome = reply.answered ? "answered" : "refused";
    expect(body).toMatch(new RegExp(`terrinclus_questions_total\\{channel="telegram",lang="fr",outcome="${outcome}"\\} 1`));
    expect(body).toMatch(/terrinclus_answer_duration_seconds_count\{channel="telegram"\} 1/);
    expect(body).toMatch(/terrinclus_feedback_total\{channel="telegram",rating="useful"\} 1/);
    for (const name of ["terrinclus_reminders_sent_total", "terrinclus_reminders_failed_total", "terrinclus_reminder_lateness_seconds", "terrinclus_reminders_queue_jobs", "terrinclus_reminders_scheduled_total"]) {
      expect(body).toContain(`# TYPE ${name}`);
    }
  });

  it("/readyz is 200 when ready, 503 naming Redis once its connection is gone", async () => {
    const ok = await get("/readyz");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ready: true, checks: ["redis", "index"] });
    await redis.quit();
    const down = await get("/readyz");
    expect(down.status).toBe(503);
    const body = (await down.json()) as { ready: boolean; notReady: Record<string, string> };
    expect(body.ready).toBe(false);
    expect(body.notReady.redis).toMatch(/Redis does not answer/);
    expect(body.notReady.index).toBeUndefined();
  });

  it("other paths are 404", async () => {
    expect((await get("/nope")).status).toBe(404);
  });
});
