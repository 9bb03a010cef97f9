/** `terrinclus ask --conversation <id>` across separate runs: context kept in Redis (real) or, without Redis, in files. */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCli, type CliResult } from "../fixtures/knowledge.js";
import { TEST_REDIS_URL } from "../support/assistant.js";

/** A database of its own, so the CLI's fixed key names do not meet other tests' keys. */
const REDIS_DB = 11;
const redisUrl = (() => {
  const url = new URL(TEST_REDIS_URL);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
})();

/** The built CLI over the shared index, with this file's environment on top. */
function terrinclus(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(args, { env: { INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir"), ...env } });
}

interface AskJson {
  question: string;
  lang: string;
  answered: boolean;
  answer: string;
  answerId: string;
  citations: Array<{ n: number; id: string }>;
  sources: Array<{ id: string }>;
}

function parse(run: CliResult): AskJson {
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as AskJson;
}

const FIRST = "comment structurer un diagnostic partagé ?";
const FOLLOW_UP = "et qui doit y participer ?";
const CONTEXT_SHEETS = ["diagnostic-partage", "acteurs-partenariat"];

let redis: Redis;
let root: string;
const createdConversations: string[] = [];
const createdAnswers: string[] = [];

beforeAll(async () => {
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-cli-conversation-"));
});
afterAll(async () => {
  const keys = [...createdConversations.map((id) => `terrinclus:conversation:${id}`), ...createdAnswers.flatMap((id) => [`terrinclus:answer:${id}`, `terrinclus:feedback:${id}`])];
  if (keys.length) await redis.del(...keys);
  if (createdAnswers.length) await redis.zrem("terrinclus:answers", ...createdAnswers);
  await redis.quit();
  await rm(root, { recursive: true, force: true });
});

// Each test uses its own conversation and directories: they run side by side.
// Four built CLIs start side by side; on a busy two-core machine each run can take several seconds.
describe.concurrent("terrinclus ask --conversation", { timeout: 90_000 }, () => {
  it("without a conversation, the follow-up alone is not answered from the diagnosis sheet", async () => {
    const alone = parse(await terrinclus(["ask", "--json", FOLLOW_UP], { REDIS_URL: "", DATA_DIR: path.join(root, "alone") }));
    expect(alone.question).toBe(FOLLOW_UP);
    expect(!alone.answered || alone.citations[0]?.id !== "diagnostic-partage").toBe(true);
  });

  it("keeps the context between two runs in Redis", async () => {
    const id = `cli-${randomBytes(4).toString("hex")}`;
    createdConversations.push(id);
    const env = { REDIS_URL: redisUrl, DATA_DIR: path.join(root, "with-redis") };
    const first = parse(await terrinclus(["ask", "--conversation", id, "--json", FIRST], env));
    createdAnswers.push(first.answerId);
    expect(first.citations[0]?.id).toBe("diagnostic-partage");
    const second = parse(await terrinclus(["ask", "--conversation", id, "--json", FOLLOW_UP], env));
    createdAnswers.push(second.answerId);

    expect(second.question).toBe(FOLLOW_UP);
    expect(second.answered).toBe(true);
    expect(CONTEXT_SHEETS).toContain(second.citations[0]?.id);

    const key = `terrinclus:conversation:${id}`;
    const state = JSON.parse((await redis.get(key))!) as { turns: Array<{ question: string; standalone: string; answerId: string }> };
    expect(state.turns.map((t) => t.question)).toEqual([FIRST, FOLLOW_UP]);
    expect(state.turns[1]!.standalone).toContain(FIRST);
    expect(state.turns.map((t) => t.answerId)).toEqual([first.answerId, second.answerId]);
    expect(await redis.ttl(key)).toBeGreaterThan(0);
    // Answers are recorded in Redis too, not in files.
    expect(await redis.exists(`terrinclus:answer:${second.answerId}`)).toBe(1);
    await expect(readdir(env.DATA_DIR)).rejects.toThrow();
  });

  it("keeps the context between two runs in files when there is no Redis", async () => {
    const id = `cli-file-${randomBytes(4).toString("hex")}`;
    const dataDir = path.join(root, "files");
    const env = { REDIS_URL: "", DATA_DIR: dataDir };
    const first = parse(await terrinclus(["ask", "--conversation", id, "--json", FIRST], env));
    const second = parse(await terrinclus(["ask", "--conversation", id, "--json", FOLLOW_UP], env));
    expect(first.citations[0]?.id).toBe("diagnostic-partage");
    expect(second.answered).toBe(true);
    expect(CONTEXT_SHEETS).toContain(second.citations[0]?.id);

    const files = await readdir(path.join(dataDir, "conversations"));
    expect(files).toEqual([`${id}.json`]);
    const saved = JSON.parse(await readFile(path.join(dataDir, "conversations", files[0]!), "utf8")) as { expires: number; state: { turns: Array<{ question: string }> } };
    expect(saved.state.turns.map((t) => t.question)).toEqual([FIRST, FOLLOW_UP]);
    expect(saved.expires).toBeGreaterThan(Date.now());
    const answers = (await readFile(path.join(dataDir, "answers.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { answerId: string; channel: string });
    expect(answers.map((a) => a.answerId)).toEqual([first.answerId, second.answerId]);
    expect(answers.every((a) => a.channel === "cli")).toBe(true);
  });

  it("falls back to files, with a notice, when Redis does not answer", async () => {
    const id = `cli-down-${randomBytes(4).toString("hex")}`;
    const dataDir = path.join(root, "redis-down");
    const run = await terrinclus(["ask", "--conversation", id, "--json", FIRST], { REDIS_URL: "redis://127.0.0.1:1", DATA_DIR: dataDir });
    expect(run.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 does not answer; keeping conversations in/);
    expect(parse(run).citations[0]?.id).toBe("diagnostic-partage");
    const saved = JSON.parse(await readFile(path.join(dataDir, "conversations", `${id}.json`), "utf8")) as { state: { turns: unknown[] } };
    expect(saved.state.turns).toHaveLength(1);
  });
});
