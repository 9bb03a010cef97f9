/**
 * `npm run eval` as a regression test: the figures it prints on `holdout.yaml`, `questions.yaml`, `similar.yaml` and
 * the tuning part of the natural-question and answer sets must not fall below floors set one question under the
 * figures measured when they were set (given beside each floor). The held-out natural sets have their floors in
 * `natural-questions.test.ts`. Every figure is computed by the eval's own functions (`test/eval/`).
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { scoreAnswers } from "../eval/answers.js";
import { abstention, extractiveFigures, loadQuestions, rankFigures, retrievalMetrics, searchRows, similarRanks } from "../eval/measures.js";
import { scoreSet, type SetName } from "../eval/natural.js";
import { sharedIndex, testEngine } from "../support/assistant.js";

let index: KnowledgeIndex;
let engine: AnswerEngine;
let dataDir: string;

beforeAll(async () => {
  index = await sharedIndex();
  engine = await testEngine();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-eval-regression-"));
});

describe("held out: holdout.yaml, written apart from the system and the first set", () => {
  it("finds the expected document first (hit@1 27/30, hit@3 29/30, MRR 0.933) and refuses no in-domain question (0/30)", async () => {
    const rows = await searchRows(index, await loadQuestions("holdout.yaml"));
    const figures = retrievalMetrics(rows);
    expect(figures.n).toBe(30);
    expect(figures.hit1).toBeGreaterThanOrEqual(26 / 30);
    expect(figures.hit3).toBeGreaterThanOrEqual(28 / 30);
    expect(figures.mrr).toBeGreaterThanOrEqual(0.9);
    // The abstention threshold was calibrated on this set and questions.yaml together: these two are tuned on.
    const refusals = abstention(rows, (r) => r.answered);
    expect(refusals).toMatchObject({ outOfDomain: 10, inDomain: 30 });
    expect(refusals.falseRefusals).toBeLessThanOrEqual(1);
    expect(refusals.rightRefusals).toBeGreaterThanOrEqual(1);
  });
});

describe("tuned on: questions.yaml, similar.yaml and the natural sets' tuning part", () => {
  it("questions.yaml: retrieval (hit@1 77/83, hit@3 83/83, MRR 0.960) and abstention (14/18 refused, 0/83 falsely)", async () => {
    const rows = await searchRows(index, await loadQuestions("questions.yaml"));
    const figures = retrievalMetrics(rows);
    expect(figures.n).toBe(83);
    expect(figures.hit1).toBeGreaterThanOrEqual(76 / 83);
    expect(figures.hit3).toBeGreaterThanOrEqual(82 / 83);
    expect(figures.mrr).toBeGreaterThanOrEqual(0.94);
    const refusals = abstention(rows, (r) => r.answered);
    expect(refusals).toMatchObject({ outOfDomain: 18, inDomain: 83 });
    expect(refusals.rightRefusals).toBeGreaterThanOrEqual(13);
    expect(refusals.falseRefusals).toBeLessThanOrEqual(1);
  });

  it("questions.yaml: extractive answers cite an expected document first (77/83) and stay chat-sized (max 1,327 characters)", async () => {
    const figures = await extractiveFigures(engine, await loadQuestions("questions.yaml"));
    expect(figures.answered).toBeGreaterThanOrEqual(82);
    expect(figures.firstCitedOk).toBeGreaterThanOrEqual(76);
    expect(figures.lengths.at(-1)).toBeLessThan(1600);
  });

  it("similar.yaml: similar projects (hit@1 21/26, hit@3 23/26, MRR 0.846)", async () => {
    const figures = rankFigures(await similarRanks(engine, await loadQuestions("similar.yaml")));
    expect(figures.n).toBe(26);
    expect(figures.hit1).toBeGreaterThanOrEqual(20 / 26);
    expect(figures.hit3).toBeGreaterThanOrEqual(22 / 26);
    expect(figures.mrr).toBeGreaterThanOrEqual(0.8);
  });

  /** Tuning-part figures when the floors were set. */
  const TUNING: Array<{ set: SetName; right: number; n: number }> = [
    { set: "chatty", right: 23, n: 24 },
    { set: "misspelled", right: 16, n: 16 },
    { set: "everyday", right: 13, n: 24 },
    { set: "followups", right: 11, n: 12 },
    { set: "out-of-scope", right: 13, n: 16 },
  ];
  it.each(TUNING)("natural questions, tuning part: $set ($right/$n)", async ({ set, right, n }) => {
    const score = await scoreSet(index, "tuning", set, dataDir);
    expect(score.n).toBe(n);
    expect(score.score).toBeGreaterThanOrEqual((right - 1) / n);
  });

  it("answers, tuning part: expected section quoted (12/24) and the fact asked opening the answer (8/23)", async () => {
    const score = await scoreAnswers(index, "tuning", dataDir);
    expect(score.n).toBe(24);
    expect(score.annotated).toBe(23);
    expect(score.sectionHit).toBeGreaterThanOrEqual(11 / 24);
    expect(score.directAnswer).toBeGreaterThanOrEqual(7 / 23);
  });
});
