/**
 * General-language word lists (French and English, with inflections), accent-folded: a word found here
 * is a real word, not a typo, even when the kit never uses it ("weather" is not a misspelt "whether").
 * Kept sorted and front-coded (each word says how many letters it shares with the one before, then the rest),
 * in blocks that start with a whole word: under 2 MB for 570,000 words, searched by bisection over the blocks.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import { fold } from "../shared/text.js";

export const DICTIONARY_FILE = "dictionary.fc.txt";
const WORD_LISTS = ["an-array-of-french-words", "an-array-of-english-words"];
const WordListSchema = z.array(z.string());
/** Words per block: the first is whole, the others are decoded from it in turn. */
const BLOCK = 32;
/** One character says how many letters a word shares with the previous one (at most this alphabet's length − 1). */
const SHARED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";

/** The folded, sorted, de-duplicated word lists of both languages, front-coded: the text of DICTIONARY_FILE. */
export async function buildDictionary(): Promise<string> {
  // Read rather than required: `require` would keep the 600,000 words cached for the life of the process
  // (a bot that builds its index at start-up would carry them on).
  const resolve = createRequire(import.meta.url).resolve;
  const lists = await Promise.all(WORD_LISTS.map(async (name) => WordListSchema.parse(JSON.parse(await readFile(resolve(name), "utf8")))));
  // Words already in folded form (plain lowercase letters, most of them) are kept as they are: no copy of 600,000 strings.
  const letters = /^\p{L}+$/u;
  const folded: string[] = [];
  for (const list of lists) for (const word of list) if (letters.test(word)) folded.push(/^[a-z]+$/.test(word) ? word : fold(word));
  folded.sort();
  const words = folded.filter((word, i) => word !== folded[i - 1]);
  return words.map((word, i) => (i % BLOCK ? frontCoded(words[i - 1]!, word) : word)).join("\n");
}

/** `word` as the number of letters it shares with `previous` (one character of SHARED), then its other letters. */
function frontCoded(previous: string, word: string): string {
  let shared = 0;
  while (shared < SHARED.length - 1 && shared < previous.length && previous[shared] === word[shared]) shared++;
  return SHARED[shared]! + word.slice(shared);
}

/** The word lists read back from an index directory, for the spelling corrector to tell real words from typos. */
export class Dictionary {
  private constructor(
    /** The file's text: lines of front-coded words. */
    private readonly text: string,
    /** Where each block's first (whole) word starts in `text`. */
    private readonly blocks: Uint32Array,
  ) {}

  static empty(): Dictionary {
    return new Dictionary("", new Uint32Array(0));
  }

  /** The dictionary of an index directory; an empty one when the index has none. */
  static async load(dir: string): Promise<Dictionary> {
    const text = await readFile(path.join(dir, DICTIONARY_FILE), "utf8").catch(() => "");
    if (!text) return Dictionary.empty();
    const starts = [0];
    for (let i = text.indexOf("\n"), line = 1; i >= 0; i = text.indexOf("\n", i + 1), line++) if (line % BLOCK === 0) starts.push(i + 1);
    return new Dictionary(text, Uint32Array.from(starts));
  }

  /** Whether a folded word is in the lists: the last block whose first word is not after it, then that block's words in turn. */
  has(word: string): boolean {
    let low = 0;
    let high = this.blocks.length - 1;
    let block = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const head = this.line(this.blocks[mid]!);
      if (head === word) return true;
      if (head < word) {
        block = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (block < 0) return false;
    const end = block + 1 < this.blocks.length ? this.blocks[block + 1]! - 1 : this.text.length;
    let at = this.blocks[block]!;
    let current = this.line(at);
    for (at += current.length + 1; at < end; ) {
      const coded = this.line(at);
      at += coded.length + 1;
      current = current.slice(0, SHARED.indexOf(coded[0]!)) + coded.slice(1);
      if (current === word) return true;
      if (current > word) return false;
    }
    return false;
  }

  /** The line of `text` starting at `start`. */
  private line(start: number): string {
    const end = this.text.indexOf("\n", start);
    return this.text.slice(start, end < 0 ? this.text.length : end);
  }
}
