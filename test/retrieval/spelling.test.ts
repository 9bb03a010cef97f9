/** Spelling tolerance: unknown words read as the nearest vocabulary word, never a real word "corrected". */
import { describe, expect, it } from "vitest";
import { SpellingCorrector } from "../../src/retrieval/spelling.js";

const VOCABULARY = new Map([
  ["comite", 40],
  ["comptes", 3],
  ["evaluation", 25],
  ["equipe", 12],
  ["pilotage", 30],
  ["partenaire", 50],
  ["partenariat", 20],
  ["diagnostic", 18],
  ["whether", 2],
  ["fete", 1],
]);
const corrector = new SpellingCorrector(VOCABULARY, (word) => ["weather", "dete"].includes(word));

describe("SpellingCorrector", () => {
  it.each([
    ["comitee", "comite"], // an extra letter
    ["evaluaton", "evaluation"], // a missing letter
    ["pilotgae", "pilotage"], // two letters swapped: one edit
    ["partenaiire", "partenaire"],
    ["diagnotsic", "diagnostic"],
    ["parteanriat", "partenariat"], // two edits, in a long word
    ["lequipe", "l equipe"], // an elision typed without its apostrophe
  ])("reads %s as %s", (typo, expected) => {
    expect(corrector.correct(typo)).toBe(expected);
  });

  it("leaves known, short, numeric and real words alone, and words with no close neighbour", () => {
    for (const word of ["comite", "fte", "2024x", "weather", "dete", "budget", "xyzxyzxyz"]) expect(corrector.correct(word)).toBeUndefined();
  });

  it("prefers the closer word, then the more frequent one", () => {
    // "partenaira" is one edit from "partenaire" and more from "partenariat".
    expect(corrector.correct("partenaira")).toBe("partenaire");
    const tie = new SpellingCorrector(
      new Map([
        ["maison", 1],
        ["raison", 9],
      ]),
    );
    expect(tie.correct("waison")).toBe("raison");
  });

  it("finds the words of a large vocabulary from their one-letter typos", () => {
    let seed = 7;
    const letter = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return "abcdefghijklmnopqrstuvwxyz"[(seed >>> 16) % 26]!;
    };
    const words = [...new Set(Array.from({ length: 30_000 }, () => Array.from({ length: 10 }, letter).join("")))];
    const large = new SpellingCorrector(new Map(words.map((w, i) => [w, i + 1])));
    for (const word of words.filter((_, i) => i % 499 === 0)) {
      expect(large.correct(word.slice(0, 4) + word.slice(5))).toBe(word);
      expect(large.correct(`${word}x`)).toBe(word);
    }
  });
});
