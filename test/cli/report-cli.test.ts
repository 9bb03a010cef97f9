/** `terrinclus report`: the coverage gaps of earlier `ask` runs sharing a DATA_DIR (file store, no Redis). */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FileInsightStore } from "../../src/answer/insights.js";
import { runCli, type CliResult } from "../fixtures/knowledge.js";

/** The built CLI over the shared index, keeping answers in `dataDir` (file store, no Redis). */
function terrinclus(args: string[], dataDir: string, input?: string): Promise<CliResult> {
  return runCli(args, { env: { INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir"), DATA_DIR: dataDir }, input });
}

interface Report {
  since: string;
  answers: number;
  groups: Array<{
    count: number;
    refused: number;
    notUseful: number;
    questions: string[];
    langs: string[];
    comments: string[];
    lastAt: number;
    home: { docId: string; lang: string; path: string; section: string } | null;
  }>;
}

const QUESTIONS = ["recette de la tarte tatin", "recette de la tarte tatin", "recette tarte tatin facile", "comment structurer un diagnostic partagé ?", "qu'est-ce que le FICOL ?"];

let root: string;
let dataDir: string;
let asked: Array<{ question: string; answered: boolean; answerId: string }>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-cli-report-"));
  dataDir = path.join(root, "data");
  // One question per line on standard input: one JSON line per answer.
  const run = await terrinclus(["ask"], dataDir, `${QUESTIONS.join("\n")}\n\n`);
  expect(run.code, run.stderr).toBe(0);
  asked = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { question: string; answered: boolean; answerId: string });
  // A bad rating, as a chat channel would record it, in the same data directory.
  const ficol = asked.find((a) => a.question === "qu'est-ce que le FICOL ?")!;
  expect(await new FileInsightStore(dataDir).recordFeedback({ answerId: ficol.answerId, useful: false, channel: "telegram", comment: "il manque les montants", at: Date.now() })).toBe(true);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.concurrent("terrinclus report", () => {
  it("answered each question of the batch in order", () => {
    expect(asked.map((a) => a.question)).toEqual(QUESTIONS);
    expect(asked.map((a) => a.answered)).toEqual([false, false, false, true, true]);
  });

  it("--since 30d --json groups the similar unanswered questions and the badly rated one", async () => {
    const run = await terrinclus(["report", "--since", "30d", "--json"], dataDir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.since).toBe("30d");
    expect(report.answers).toBe(QUESTIONS.length);
    expect(report.groups).toHaveLength(2);
    const [tatin, ficol] = report.groups;
    expect(tatin).toMatchObject({ count: 3, refused: 3, notUseful: 0, langs: ["fr"] });
    expect([...tatin!.questions].sort()).toEqual(["recette de la tarte tatin", "recette tarte tatin facile"]);
    expect(ficol).toMatchObject({ count: 1, refused: 0, notUseful: 1, questions: ["qu'est-ce que le FICOL ?"], comments: ["il manque les montants"] });
    // Where each wording should become a question a document answers: nowhere for a recipe, the funding sheet for FICOL.
    expect(tatin!.home).toBeNull();
    expect(ficol!.home).toMatchObject({ docId: "financements", lang: "fr", path: "kit/financements.fr.md" });
    expect(ficol!.home!.section).toBeTruthy();
  });

  it("prints a readable report without --json, and --limit keeps the largest groups", async () => {
    const text = await terrinclus(["report", "--since", "2w"], dataDir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${QUESTIONS.length} answers since 2w; 2 group(s) of unanswered or badly rated questions.`);
    expect(text.stdout).toContain("1. ×3 (refused 3, not useful 0) [fr]");
    expect(text.stdout).toContain("   – recette tarte tatin facile");
    expect(text.stdout).toContain("comment: il manque les montants");
    expect(text.stdout).toContain("   → no sheet is near: outside the kit's field, or a subject for a new sheet");
    expect(text.stdout).toContain("   → add to the questions of kit/financements.fr.md");
    expect(text.stdout).toContain(`     - q: "qu'est-ce que le FICOL ?"`);

    const limited = await terrinclus(["report", "--limit", "1", "--json"], dataDir);
    expect(limited.code, limited.stderr).toBe(0);
    const report = JSON.parse(limited.stdout) as Report;
    expect(report.since).toBe("30d");
    expect(report.groups.map((g) => g.count)).toEqual([3]);
  });

  it("reports nothing for an empty data directory", async () => {
    const run = await terrinclus(["report", "--json"], path.join(root, "empty"));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ since: "30d", answers: 0, groups: [] });
  });

  it("--since abc exits 1 with a clear message and prints no report", async () => {
    const run = await terrinclus(["report", "--since", "abc", "--json"], dataDir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--since: use a duration such as 30d, 12h or 2w");
  });
});
