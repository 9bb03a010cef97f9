/** Answers and feedback recorded by the engine (Redis for real, and files), and the coverage-gap report built from them. */
import { randomBytes } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileInsightStore, RedisInsightStore, type InsightStore, type RecordedAnswer } from "../../src/answer/insights.js";
import { coverageGaps } from "../../src/answer/report.js";
import { testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";

const db = useTestRedis("insights");
const PREFIX = db.prefix;

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-insights-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const stores: Array<[string, () => InsightStore]> = [
  ["redis", () => new RedisInsightStore(db.redis, `${PREFIX}${randomBytes(3).toString("hex")}:`)],
  ["file", () => new FileInsightStore(path.join(dataDir, randomBytes(3).toString("hex")))],
];

describe.each(stores)("%s insight store", (name, make) => {
  it("records every answer with its id, and feedback on known answers only", async () => {
    const insights = make();
    const engine = await testEngine({ insights });
    const since = Date.now();
    const answered = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "cli" });
    const refused = await engine.ask({ question: "recette de la tarte tatin", channel: "telegram" });
    expect(answered.answerId).not.toBe(refused.answerId);

    const record = await insights.getAnswer(answered.answerId);
    expect(record).toMatchObject({ answerId: answered.answerId, question: "comment structurer un diagnostic partagé ?", lang: "fr", answered: true, channel: "cli" });
    expect(record!.sources).toEqual(answered.citations.map((c) => c.id));
    expect(record!.at).toBeGreaterThanOrEqual(since);
    expect(record!.feedback).toBeUndefined();
    expect(await insights.getAnswer(refused.answerId)).toMatchObject({ answered: false, sources: [], channel: "telegram" });

    expect(await engine.feedback(answered.answerId, false, "telegram", "trop long, il manque les délais")).toBe(true);
    expect(await engine.feedback("nope-nope0", true, "telegram")).toBe(false);
    expect(await engine.feedback(refused.answerId, true, "cli", "x".repeat(5000))).toBe(true);

    const withFeedback = await insights.getAnswer(answered.answerId);
    expect(withFeedback!.feedback).toMatchObject({ answerId: answered.answerId, useful: false, channel: "telegram", comment: "trop long, il manque les délais" });
    expect((await insights.getAnswer(refused.answerId))!.feedback!.comment).toHaveLength(1000);
    expect(await insights.getAnswer("nope-nope0")).toBeUndefined();

    const recent = await insights.answersSince(since);
    expect(recent.map((a) => a.answerId).sort()).toEqual([answered.answerId, refused.answerId].sort());
    expect(await insights.answersSince(Date.now() + 60_000)).toEqual([]);
    if (name === "redis") {
      const keys = await db.redis.keys(`${PREFIX}*answer:${answered.answerId}`);
      expect(keys).toHaveLength(1);
      expect(await db.redis.ttl(keys[0]!)).toBeGreaterThan(0);
    }
  });

  it("groups similar unanswered questions and counts refusals and bad ratings", async () => {
    const insights = make();
    const engine = await testEngine({ insights });
    await engine.ask({ question: "recette de la tarte tatin", channel: "cli" });
    await engine.ask({ question: "recette de la tarte tatin", channel: "telegram" });
    await engine.ask({ question: "recette tarte tatin facile", channel: "cli" });
    const good = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "cli" });
    const bad = await engine.ask({ question: "qu'est-ce que le FICOL ?", channel: "telegram" });
    expect(good.answered && bad.answered).toBe(true);
    await engine.feedback(good.answerId, true, "cli");
    await engine.feedback(bad.answerId, false, "telegram", "pas assez précis");

    const groups = coverageGaps(await insights.answersSince(0));
    expect(groups).toHaveLength(2);
    const [tatin, ficol] = groups;
    expect(tatin).toMatchObject({ count: 3, refused: 3, notUseful: 0, langs: ["fr"], comments: [] });
    expect([...tatin!.questions].sort()).toEqual(["recette de la tarte tatin", "recette tarte tatin facile"]);
    expect(ficol).toMatchObject({ count: 1, refused: 0, notUseful: 1, questions: ["qu'est-ce que le FICOL ?"], comments: ["pas assez précis"] });
  });
});

describe("coverageGaps", () => {
  const at = Date.UTC(2025, 0, 1);
  const record = (question: string, extra: Partial<RecordedAnswer> = {}, minutes = 0): RecordedAnswer => ({
    answerId: randomBytes(5).toString("hex"),
    question,
    lang: "fr",
    answered: false,
    sources: [],
    channel: "test",
    at: at + minutes * 60_000,
    ...extra,
  });

  it("leaves out answered questions that were not rated badly", () => {
    expect(coverageGaps([record("comment faire un diagnostic", { answered: true }), record("x", { answered: true, feedback: { answerId: "a", useful: true, channel: "t", at } })])).toEqual([]);
  });

  it("puts the most recent wording first, orders groups by size, and keeps the languages and comments", () => {
    const groups = coverageGaps([
      record("recette de la tarte tatin", {}, 1),
      record("recette tarte tatin facile", {}, 5),
      record("recette de la tarte tatin", {}, 3),
      record("horaires des trains pour Lyon", {}, 2),
      record("How do I bake a tarte tatin recipe?", { lang: "en", answered: true, feedback: { answerId: "b", useful: false, channel: "slack", at, comment: "wrong" } }, 4),
    ]);
    expect(groups[0]).toMatchObject({ count: 3, refused: 3, questions: ["recette tarte tatin facile", "recette de la tarte tatin"], lastAt: at + 5 * 60_000 });
    expect(groups.map((g) => g.count)).toEqual([3, 1, 1]);
    // Ties: the most recent group first.
    expect(groups[1]).toMatchObject({ langs: ["en"], notUseful: 1, refused: 0, comments: ["wrong"] });
    expect(groups[2]!.questions).toEqual(["horaires des trains pour Lyon"]);
  });

  it("groups identical questions even when they have no content words", () => {
    const groups = coverageGaps([record("bonjour", {}, 1), record("Bonjour !", {}, 2), record("bonjour", {}, 3), record("merci", {}, 4)]);
    expect(groups.map((g) => [g.count, g.questions])).toEqual([
      [3, ["bonjour", "Bonjour !"]],
      [1, ["merci"]],
    ]);
  });

  it("keeps at most five wordings per group", () => {
    const wordings = ["budget du projet", "budget projet", "le budget du projet ?", "budget du projet svp", "budget du projet merci", "budget du projet bonjour"];
    const [group] = coverageGaps(wordings.map((q, i) => record(q, {}, i)));
    expect(group!.count).toBe(6);
    expect(group!.questions).toHaveLength(5);
  });
});

describe("file insight store", () => {
  it("ignores a damaged line instead of failing", async () => {
    const dir = path.join(dataDir, "damaged");
    const insights = new FileInsightStore(dir);
    await insights.recordAnswer({ answerId: "a1", question: "q", lang: "fr", answered: false, sources: [], channel: "t", at: 1 });
    await appendFile(path.join(dir, "answers.jsonl"), "{broken\n");
    await insights.recordAnswer({ answerId: "a2", question: "q2", lang: "fr", answered: false, sources: [], channel: "t", at: 2 });
    expect((await insights.answersSince(0)).map((a) => a.answerId)).toEqual(["a1", "a2"]);
    expect((await readFile(path.join(dir, "answers.jsonl"), "utf8")).split("\n").filter(Boolean)).toHaveLength(3);
  });
});
