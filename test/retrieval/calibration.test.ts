/** The coverage line of semantic embeddings, from in-domain and off-domain similarities. */
import { describe, expect, it } from "vitest";
import { calibrate, offDomainQuestions } from "../../src/retrieval/calibration.js";

describe("calibrate", () => {
  it("puts the line in the middle of the gap when the samples separate", () => {
    const c = calibrate([0.7, 0.75, 0.8, 0.9], [0.1, 0.2, 0.3, 0.4]);
    expect(c.accuracy).toBe(1);
    expect(c.threshold).toBeGreaterThan(0.4);
    expect(c.threshold).toBeLessThan(0.7);
    expect(c.confident).toBeCloseTo((c.threshold + 0.775) / 2);
    expect(c.inDomain).toEqual({ count: 4, median: 0.775 });
  });

  it("balances the errors on each side when the samples overlap", () => {
    const c = calibrate([0.35, 0.6, 0.7, 0.8], [0.1, 0.2, 0.3, 0.5]);
    // One error of four on one side, wherever the line goes: between 0.3 and 0.35, or between 0.5 and 0.6.
    expect(c.accuracy).toBe(0.875);
    expect([0.325, 0.55].some((t) => Math.abs(c.threshold - t) < 1e-9)).toBe(true);
  });

  it("needs both samples", () => {
    expect(() => calibrate([], [0.1])).toThrow(/samples/);
  });

  it("ships off-domain questions in both languages", async () => {
    const questions = await offDomainQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(40);
  });
});
