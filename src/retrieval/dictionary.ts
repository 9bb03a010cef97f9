/**
 * General-language word lists (French and English, with inflections), accent-folded: a word found here
 * is a real word, not a typo, even when the kit never uses it ("weather" is not a misspelt "whether").
 * Kept as one sorted string, searched by bisection: a few megabytes instead of a set of 600,000 strings.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fold } from "../shared/text.js";

export const DICTIONARY_FILE = "dictionary.txt";

/** Writes the folded, sorted, de-duplicated word lists of both languages into an index directory. */
export async function writeDictionary(dir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const lists = [require("an-array-of-french-words") as string[], require("an-array-of-english-words") as string[]];
  // Folded in one pass over all the words (one per line), then sorted and de-duplicated by neighbours.
  const letters = /^\p{L}+$/u;
  const folded = fold(lists.flatMap((list) => list.filter((word) => letters.test(word))).join("\n")).split("\n").sort();
  await writeFile(path.join(dir, DICTIONARY_FILE), folded.filter((word, i) => word !== folded[i - 1]).join("\n"));
}

/** The word lists read back from an index directory, for the spelling corrector to tell real words from typos. */
export class Dictionary {
  private constructor(
    private readonly text: string,
    private readonly starts: Uint32Array,
  ) {}

  static empty(): Dictionary {
    return new Dictionary("", new Uint32Array(0));
  }

  /** The dictionary of an index directory; an empty one when the index has none. */
  static async load(dir: string): Promise<Dictionary> {
    const text = await readFile(path.join(dir, DICTIONARY_FILE), "utf8").catch(() => "");
    if (!text) return Dictionary.empty();
    let count = 1;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
    const starts = new Uint32Array(count);
    for (let i = 0, n = 1; i < text.length; i++) if (text.charCodeAt(i) === 10) starts[n++] = i + 1;
    return new Dictionary(text, starts);
  }

  get size(): number {
    return this.starts.length;
  }

  /** Whether a folded word is in the lists (a bisection over the sorted lines). */
  has(word: string): boolean {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const start = this.starts[mid]!;
      const end = mid + 1 < this.starts.length ? this.starts[mid + 1]! - 1 : this.text.length;
      const entry = this.text.slice(start, end);
      if (entry === word) return true;
      if (entry < word) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}
