/** Follow-up questions in a conversation, with the three conversation stores (Redis for real, memory, files). */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TURNS, MemoryConversationStore, RedisConversationStore, emptyConversation, type ConversationStore } from "../../src/answer/conversation.js";
import { FileConversationStore } from "../../src/answer/file-conversations.js";
import { isFollowUp } from "../../src/answer/follow-up.js";
import { testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";

const db = useTestRedis("conversations");
const PREFIX = db.prefix;

const TTL = 600;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-conversations-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const FIRST = "comment structurer un diagnostic partagé ?";
const FOLLOW_UP = "et qui doit y participer ?";

const stores: Array<[string, () => ConversationStore]> = [
  ["redis", () => new RedisConversationStore(db.redis, TTL, PREFIX)],
  ["memory", () => new MemoryConversationStore(TTL)],
  ["file", () => new FileConversationStore(path.join(dataDir, "conversations"), TTL)],
];

describe("follow-up questions", () => {
  it("recognises follow-ups by their opener or pronoun, not full questions", () => {
    expect(isFollowUp(FOLLOW_UP, "fr", false)).toBe(true);
    expect(isFollowUp("and who should take part in it?", "en", false)).toBe(true);
    expect(isFollowUp("qui y participe ?", "fr", false)).toBe(true);
    expect(isFollowUp("comment constituer un comité de pilotage avec le partenaire ?", "fr", true)).toBe(false);
    expect(isFollowUp("How should we build the logical framework with the partner territory and its civil society?", "en", true)).toBe(false);
  });

  it("without a conversation, the same follow-up is not answered from the diagnosis sheet", async () => {
    const engine = await testEngine();
    const alone = await engine.ask({ question: FOLLOW_UP, channel: "test" });
    expect(!alone.answered || alone.citations[0]?.id !== "diagnostic-partage").toBe(true);
  });

  for (const [name, make] of stores) {
    it(`${name}: the follow-up is answered in the context of the first question`, async () => {
      const store = make();
      const engine = await testEngine({ conversations: store });
      const id = `chat-${name}-${randomBytes(3).toString("hex")}`;
      const first = await engine.ask({ question: FIRST, conversationId: id, channel: "test" });
      expect(first.citations[0]?.id).toBe("diagnostic-partage");
      const second = await engine.ask({ question: FOLLOW_UP, conversationId: id, channel: "test" });

      // The diagnosis sheet (or the one on actors) answers "who takes part".
      expect(second.answered).toBe(true);
      expect(second.question).toBe(FOLLOW_UP);
      expect(["diagnostic-partage", "acteurs-partenariat"]).toContain(second.citations[0]?.id);

      const state = await store.get(id);
      expect(state.turns.map((t) => t.question)).toEqual([FIRST, FOLLOW_UP]);
      expect(state.turns[1]!.standalone).toBe(`${FIRST} ${FOLLOW_UP}`);
      expect(state.turns[1]!.answerId).toBe(second.answerId);
      expect(state.turns[1]!.docIds).toEqual(second.citations.map((c) => c.id));
      expect(state.lastCitations).toEqual(second.citations);
      expect(await engine.lastCitations(id)).toEqual(second.citations);

      // Another conversation is not affected.
      expect(await store.get(`${id}-other`)).toEqual(emptyConversation());
    });

    it(`${name}: keeps the preferred language and only the last ${MAX_TURNS} turns`, async () => {
      const store = make();
      const engine = await testEngine({ conversations: store });
      const id = `turns-${name}-${randomBytes(3).toString("hex")}`;
      await engine.setLanguage(id, "en");
      expect(await engine.preferredLanguage(id)).toBe("en");
      for (let i = 0; i < MAX_TURNS + 2; i++) await engine.ask({ question: i % 2 ? "qu'est-ce que le FICOL ?" : FIRST, conversationId: id, channel: "test" });
      const state = await store.get(id);
      expect(state.turns).toHaveLength(MAX_TURNS);
      expect(state.preferredLang).toBe("en");
      expect(state.turns.every((t) => t.lang === "en")).toBe(true);
      await engine.setLanguage(id, undefined);
      expect(await engine.preferredLanguage(id)).toBeUndefined();
    });
  }
});

describe("conversation state expires", () => {
  it("redis: the key carries the TTL, and an expired conversation starts afresh", async () => {
    const store = new RedisConversationStore(db.redis, TTL, PREFIX);
    const engine = await testEngine({ conversations: store });
    const id = `ttl-${randomBytes(3).toString("hex")}`;
    await engine.ask({ question: FIRST, conversationId: id, channel: "test" });
    const ttl = await db.redis.ttl(PREFIX + id);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);

    await db.redis.pexpire(PREFIX + id, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await db.redis.exists(PREFIX + id)).toBe(0);
    expect(await store.get(id)).toEqual(emptyConversation());
    const alone = await engine.ask({ question: FOLLOW_UP, conversationId: id, channel: "test" });
    expect((await store.get(id)).turns).toHaveLength(1);
    expect(!alone.answered || alone.citations[0]?.id !== "diagnostic-partage").toBe(true);
  });

  it("redis: concurrent messages of one conversation are all kept, and a language set meanwhile stays", async () => {
    const store = new RedisConversationStore(db.redis, TTL, PREFIX);
    const turn = (i: number) => ({ question: `q${i}`, standalone: `q${i}`, answerId: `answer${i}xx`, lang: "fr" as const, answered: true, docIds: [], at: Date.now() });
    await Promise.all([...[0, 1, 2, 3, 4].map((i) => store.addTurn("busy-thread", turn(i), [])), store.setLanguage("busy-thread", "en")]);
    const state = await store.get("busy-thread");
    expect(state.turns.map((t) => t.question).sort()).toEqual(["q0", "q1", "q2", "q3", "q4"]);
    expect(state.preferredLang).toBe("en");
    expect(state.lastCitations).toEqual([]);
    // Past MAX_TURNS, the oldest go first.
    await Promise.all([5, 6, 7].map((i) => store.addTurn("busy-thread", turn(i), [])));
    expect((await store.get("busy-thread")).turns).toHaveLength(6);
    await store.setLanguage("busy-thread", undefined);
    expect((await store.get("busy-thread")).preferredLang).toBeUndefined();
  });

  it("redis: an entry of the wrong shape reads as an empty conversation", async () => {
    const store = new RedisConversationStore(db.redis, TTL, PREFIX);
    await db.redis.set(`${PREFIX}odd`, JSON.stringify({ turns: [{ question: 42 }] }), "EX", 60);
    expect(await store.get("odd")).toEqual(emptyConversation());
  });

  it("redis: a corrupt entry reads as an empty conversation", async () => {
    const store = new RedisConversationStore(db.redis, TTL, PREFIX);
    await db.redis.set(`${PREFIX}corrupt`, "{not json", "EX", 60);
    expect(await store.get("corrupt")).toEqual(emptyConversation());
  });

  for (const [name, make] of [
    ["memory", (ttl: number) => new MemoryConversationStore(ttl)],
    ["file", (ttl: number) => new FileConversationStore(path.join(dataDir, "expiring"), ttl)],
  ] as const) {
    it(`${name}: a conversation older than its TTL is forgotten`, async () => {
      const store = make(0.02);
      const engine = await testEngine({ conversations: store });
      await engine.ask({ question: FIRST, conversationId: "short-lived", channel: "test" });
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await store.get("short-lived")).toEqual(emptyConversation());
      // The follow-up no longer has the first question's context.
      const alone = await engine.ask({ question: FOLLOW_UP, conversationId: "short-lived", channel: "test" });
      expect(!alone.answered || alone.citations[0]?.id !== "diagnostic-partage").toBe(true);
    });
  }

  it("file: conversation ids become safe file names, and an unreadable file is an empty conversation", async () => {
    const dir = path.join(dataDir, "unsafe");
    const store = new FileConversationStore(dir, TTL);
    const engine = await testEngine({ conversations: store });
    await engine.ask({ question: FIRST, conversationId: "../../etc/Telegram 42", channel: "test" });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[a-z0-9-]+\.json$/);
    expect((await store.get("../../etc/Telegram 42")).turns).toHaveLength(1);
    await writeFile(path.join(dir, files[0]!), "garbage");
    expect(await store.get("../../etc/Telegram 42")).toEqual(emptyConversation());
  });
});
