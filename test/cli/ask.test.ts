import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { removeDir, runCli, tempDir } from "../fixtures/knowledge.js";

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = await tempDir("cli-ask-data");
  // The shared index is only read: `ask` never writes to INDEX_DIR.
  env = { INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir"), DATA_DIR: dataDir };
});
afterAll(async () => {
  await removeDir(dataDir);
});

interface AskJson {
  question: string;
  lang: string;
  answered: boolean;
  answer: string;
  sources: Array<{ id: string; lang: string; title: string; kind: string; section: string; score: number }>;
  answerId: string;
  citations: Array<{ n: number; id: string; lang: string; kind: string; title: string; section: string; url?: string }>;
  suggestions: Array<{ type: string; label: string; id?: string }>;
}

/** The `ask --json` contract, checked on one parsed line. */
function expectAskContract(reply: AskJson): void {
  expect(Object.keys(reply)).toEqual(expect.arrayContaining(["question", "lang", "answered", "answer", "sources", "answerId", "citations", "suggestions"]));
  expect(["fr", "en"]).toContain(reply.lang);
  expect(typeof reply.answered).toBe("boolean");
  expect(typeof reply.answer).toBe("string");
  expect(reply.answer.length).toBeGreaterThan(0);
  expect(reply.answerId).toMatch(/^[A-Za-z0-9_-]{10}$/);
  expect(Array.isArray(reply.citations)).toBe(true);
  expect(Array.isArray(reply.suggestions)).toBe(true);
  expect(Array.isArray(reply.sources)).toBe(true);
  for (const source of reply.sources) {
    expect(Object.keys(source).sort()).toEqual(["id", "kind", "lang", "score", "section", "title"]);
    expect(source).toEqual({
      id: expect.any(String),
      lang: expect.stringMatching(/^(fr|en)$/),
      title: expect.any(String),
      kind: expect.stringMatching(/^(kit|case|document)$/),
      section: expect.any(String),
      score: expect.any(Number),
    });
  }
  for (let i = 1; i < reply.sources.length; i++) expect(reply.sources[i]!.score).toBeLessThanOrEqual(reply.sources[i - 1]!.score);
  for (const citation of reply.citations) expect(citation).toMatchObject({ n: expect.any(Number), id: expect.any(String), lang: expect.any(String), kind: expect.any(String), title: expect.any(String) });
}

function singleLine(stdout: string): AskJson {
  expect(stdout.endsWith("\n")).toBe(true);
  const lines = stdout.slice(0, -1).split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as AskJson;
}

describe("terrinclus ask --json", () => {
  it("prints exactly one JSON line following the contract", async () => {
    const { code, stdout, stderr } = await runCli(["ask", "Comment financer une coopération décentralisée ?", "--json"], { env });
    expect(code, stderr).toBe(0);
    const reply = singleLine(stdout);
    expectAskContract(reply);
    expect(reply).toMatchObject({ question: "Comment financer une coopération décentralisée ?", lang: "fr", answered: true });
    expect(reply.sources.length).toBeGreaterThan(1);
    expect(reply.sources[0]).toMatchObject({ id: "financements", lang: "fr", kind: "kit" });
    expect(reply.citations[0]?.id).toBe("financements");
  });

  it("answers one JSON line per question read on standard input, in order", async () => {
    const questions = ["comment constituer un comité de pilotage ?", "How do I cook a mushroom risotto?", "What is FICOL?"];
    const { code, stdout, stderr } = await runCli(["ask"], { env, input: `${questions[0]}\n\n  ${questions[1]}  \r\n${questions[2]}` });
    expect(code, stderr).toBe(0);
    const replies = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as AskJson);
    expect(replies.map((r) => r.question)).toEqual(questions);
    replies.forEach(expectAskContract);
    expect(replies.map((r) => [r.lang, r.answered])).toEqual([
      ["fr", true],
      ["en", false],
      ["en", true],
    ]);
    expect(replies[0]!.sources[0]?.id).toBe("gouvernance-pilotage");
    expect(replies[1]!.sources).toEqual([]);
    expect(replies[1]!.citations).toEqual([]);
    expect(replies[2]!.sources[0]?.id).toBe("financements");
    expect(new Set(replies.map((r) => r.answerId)).size).toBe(3);
  });

  it("answers in English with --lang en, whatever the question's language", async () => {
    const { code, stdout } = await runCli(["ask", "comment constituer un comité de pilotage ?", "--lang", "en", "--json"], { env });
    expect(code).toBe(0);
    const reply = singleLine(stdout);
    expectAskContract(reply);
    expect(reply.lang).toBe("en");
    expect(reply.answered).toBe(true);
    expect(reply.sources[0]).toMatchObject({ id: "gouvernance-pilotage", lang: "en" });
    expect(reply.citations.every((c) => c.lang === "en")).toBe(true);
    expect(reply.citations[0]!.section).toMatch(/steering committee/i);
  });

  it("rejects --lang de with a clear message and no stack trace", async () => {
    const { code, stdout, stderr } = await runCli(["ask", "What is FICOL?", "--lang", "de", "--json"], { env });
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain("error: option '--lang <lang>' argument 'de' is invalid. Allowed choices are fr, en.");
    expect(stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
  });
});
