/**
 * Regression floor for how people really ask: the held-out natural-question sets (written from the
 * sheets' titles and summaries only) must not fall below a little under the figures `npm run eval` reports.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { scoreSet, type SetName } from "../eval/natural.js";
import { percentile, scoreAnswers } from "../eval/answers.js";
import { sharedIndex } from "../support/assistant.js";

/** Held-out figures measured when the floor was set, minus a margin (see README, "Evaluation"). */
const FLOORS: Record<SetName, number> = {
  chatty: 0.93,
  misspelled: 0.85,
  everyday: 0.25,
  followups: 0.63,
  "out-of-scope": 0.75,
};

let index: KnowledgeIndex;
let dataDir: string;

beforeAll(async () => {
  index = await sharedIndex();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-natural-"));
});

describe("natural questions (held out)", () => {
  it.each(Object.entries(FLOORS) as Array<[SetName, number]>)("%s stays at or above %s", async (set, floor) => {
    const score = await scoreSet(index, "heldout", set, dataDir);
    expect(score.n).toBeGreaterThan(0);
    expect(score.score).toBeGreaterThanOrEqual(floor);
  }, 120_000);
});

describe("answers (held out)", () => {
  it("quote the expected section, open with the fact asked, and stay chat-sized", async () => {
    const score = await scoreAnswers(index, "heldout", dataDir);
    expect(score.n).toBeGreaterThan(0);
    expect(score.sectionHit).toBeGreaterThanOrEqual(0.6);
    expect(score.directAnswer).toBeGreaterThanOrEqual(0.4);
    // The aims: chat answers p95 ≤ 1,800 characters, refusals ≤ 400.
    expect(percentile(score.chatLengths, 95)).toBeLessThanOrEqual(1800);
    expect(Math.max(0, ...score.refusalLengths)).toBeLessThanOrEqual(400);
  }, 120_000);
});
