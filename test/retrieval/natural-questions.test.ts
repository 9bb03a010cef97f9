/**
 * Regression floor for how people really ask: the held-out natural-question sets (written from the sheets' titles
 * and summaries only) must not fall more than one question below the figures `npm run eval` reported when the
 * floors were set (given beside each), nor refuse more than one more in-domain question. The other eval figures
 * are held in `eval-regression.test.ts`.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { percentile, scoreAnswers } from "../eval/answers.js";
import { type SetName, scoreSet } from "../eval/natural.js";
import { sharedIndex } from "../support/assistant.js";

/** Held-out figures when the floors were set: questions right of n, and in-domain questions refused. */
const MEASURED: Array<{ set: SetName; right: number; n: number; falseRefusals: number }> = [
  { set: "chatty", right: 60, n: 60, falseRefusals: 0 },
  { set: "misspelled", right: 37, n: 40, falseRefusals: 0 },
  { set: "everyday", right: 17, n: 60, falseRefusals: 17 },
  { set: "followups", right: 22, n: 30, falseRefusals: 1 },
  { set: "out-of-scope", right: 32, n: 40, falseRefusals: 0 },
];

let index: KnowledgeIndex;
let dataDir: string;

beforeAll(async () => {
  index = await sharedIndex();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-natural-"));
});

describe("natural questions (held out)", () => {
  it.each(MEASURED)(
    "$set (measured: $right/$n right, $falseRefusals in-domain refused)",
    async ({ set, right, n, falseRefusals }) => {
      const score = await scoreSet(index, "heldout", set, dataDir);
      expect(score.n).toBe(n);
      expect(score.score).toBeGreaterThanOrEqual((right - 1) / n);
      expect(score.falseRefusals).toBeLessThanOrEqual(falseRefusals + 1);
    },
    120_000,
  );
});

describe("answers (held out)", () => {
  it("quote the expected section (56/80), open with the fact asked (41/80), and stay chat-sized", async () => {
    const score = await scoreAnswers(index, "heldout", dataDir);
    expect(score.n).toBe(80);
    expect(score.annotated).toBe(80);
    expect(score.sectionHit).toBeGreaterThanOrEqual(55 / 80);
    expect(score.directAnswer).toBeGreaterThanOrEqual(40 / 80);
    // The aims: chat answers p95 ≤ 1,800 characters, refusals ≤ 400.
    expect(percentile(score.chatLengths, 95)).toBeLessThanOrEqual(1800);
    expect(Math.max(0, ...score.refusalLengths)).toBeLessThanOrEqual(400);
  }, 120_000);
});
