/** The general-language dictionary, front-coded in blocks: every listed word is found, and nothing else. */
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDictionary, DICTIONARY_FILE, Dictionary } from "../../src/retrieval/dictionary.js";
import { fold } from "../../src/shared/text.js";
import { removeDir, tempDir } from "../fixtures/knowledge.js";

let dir: string;
let dictionary: Dictionary;
let listed: Set<string>;

beforeAll(async () => {
  dir = await tempDir("dictionary");
  await writeFile(path.join(dir, DICTIONARY_FILE), await buildDictionary());
  dictionary = await Dictionary.load(dir);
  const require = createRequire(import.meta.url);
  const lists = [require("an-array-of-french-words") as string[], require("an-array-of-english-words") as string[]];
  listed = new Set(lists.flatMap((list) => list.filter((word) => /^\p{L}+$/u.test(word)).map(fold)));
}, 60_000);
afterAll(() => removeDir(dir));

describe("Dictionary", () => {
  it("finds the words of both lists, folded, first and last included", () => {
    const sorted = [...listed].sort();
    const sample = [sorted[0]!, sorted.at(-1)!, ...sorted.filter((_, i) => i % 97 === 0), "evaluation", "weather", "comite", "pilotage"];
    for (const word of sample) expect(dictionary.has(word), word).toBe(true);
  });

  it("finds nothing else: typos, words cut short or lengthened, words before the first and after the last", () => {
    const sorted = [...listed].sort();
    const probes = ["", "a".repeat(40), "zzzzzzzzzz", "comitee", "evaluaton", "lequipe", ...sorted.filter((_, i) => i % 211 === 0).flatMap((w) => [w.slice(0, -1), `${w}q`, `${w}s`, `q${w}`])];
    for (const word of probes) expect(dictionary.has(word), word).toBe(listed.has(word));
  });

  it("is empty where an index has none", async () => {
    const empty = await Dictionary.load(`${dir}/missing`);
    expect(empty.has("evaluation")).toBe(false);
  });
});
