/**
 * Spelling tolerance over the index vocabulary: symmetric-delete candidates (SymSpell) verified by
 * optimal-string-alignment distance. Words are accent-folded, so "evaluaton" and "évaluation" meet.
 */
import { fnv1a } from "./fnv1a.js";

/** Words shorter than this are never corrected: too many neighbours. */
const MIN_LENGTH = 5;
/** French elisions typed without their apostrophe ("lequipe", "quest"). */
const ELISION = /^(qu|l|d|j|n|s|c|m|t)([aeiouyh][a-z]{2,})$/;

/** Corrects unknown words of five letters or more to the nearest known word within one edit (two from seven letters), the more frequent on a tie. */
/** Words indexed per variant are numbered below this (a 2^21 × 2^32 key stays an exact integer in a double). */
const WORD_SLOTS = 2 ** 21;

/** Spelling corrections into the index vocabulary (symmetric deletes, then edit distance on the candidates). */
export class SpellingCorrector {
  /** The vocabulary words long enough to be corrected into, numbered in the vocabulary's order. */
  private readonly words: string[] = [];
  /**
   * For each word and each of its delete-variants (itself included), hash(variant) × WORD_SLOTS + word number,
   * sorted: the words a variant may come from are a range found by bisection, then checked against the variant
   * itself. A few bytes per variant instead of a string and a list each.
   */
  private readonly variants: Float64Array;

  /**
   * `frequency`: how often each folded word occurs in the indexed texts; `isWord`: whether a folded word
   * exists in general language (such a word is never "corrected" into another).
   */
  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    private readonly isWord: (word: string) => boolean = () => false,
  ) {
    for (const word of frequency.keys()) if (word.length >= MIN_LENGTH - 1 && !/\d/.test(word) && this.words.length < WORD_SLOTS) this.words.push(word);
    // Filled in place (a word has at most one variant per letter, plus itself), then trimmed to what was filled.
    const keys = new Float64Array(this.words.reduce((n, word) => n + word.length + 1, 0));
    let filled = 0;
    this.words.forEach((word, i) => {
      for (const variant of deletes(word, true)) keys[filled++] = fnv1a(variant) * WORD_SLOTS + i;
    });
    this.variants = keys.slice(0, filled).sort();
  }

  /** The vocabulary words that `variant` is, or is with one letter removed, in vocabulary order. */
  private sources(variant: string): string[] {
    const low = fnv1a(variant) * WORD_SLOTS;
    let start = 0;
    let end = this.variants.length;
    while (start < end) {
      const mid = (start + end) >>> 1;
      if (this.variants[mid]! < low) start = mid + 1;
      else end = mid;
    }
    const out: string[] = [];
    for (let i = start; i < this.variants.length && this.variants[i]! < low + WORD_SLOTS; i++) {
      const word = this.words[this.variants[i]! - low]!;
      if ((word === variant || isDeletion(word, variant)) && out.at(-1) !== word) out.push(word);
    }
    return out;
  }

  knows(word: string): boolean {
    return this.frequency.has(word);
  }

  /**
   * The known word(s) an unknown folded word stands for, or undefined when it is known, too short or has
   * no close neighbour. An elided form comes back as two words ("lequipe" → "l equipe").
   */
  correct(word: string): string | undefined {
    if (this.frequency.has(word) || word.length < MIN_LENGTH || /\d/.test(word) || this.isWord(word)) return undefined;
    const elided = ELISION.exec(word);
    if (elided && this.frequency.has(elided[2]!)) return `${elided[1]} ${elided[2]}`;
    const limit = word.length >= 7 ? 2 : 1;
    const candidates = new Set<string>();
    for (const variant of deletes(word, true)) for (const w of this.sources(variant)) candidates.add(w);
    if (limit === 2) for (const variant of secondDeletes(word)) for (const w of this.sources(variant)) candidates.add(w);
    let best: { word: string; distance: number; frequency: number } | undefined;
    for (const candidate of candidates) {
      // Short words keep their first letter: "fete" is not "dete".
      if (word.length < 6 && candidate[0] !== word[0]) continue;
      const distance = osaDistance(word, candidate, limit);
      if (distance > limit) continue;
      const frequency = this.frequency.get(candidate)!;
      if (!best || distance < best.distance || (distance === best.distance && frequency > best.frequency)) best = { word: candidate, distance, frequency };
    }
    return best?.word;
  }
}

/** Whether `shorter` is `word` with exactly one letter removed. */
function isDeletion(word: string, shorter: string): boolean {
  if (shorter.length !== word.length - 1) return false;
  let i = 0;
  while (i < shorter.length && shorter[i] === word[i]) i++;
  return word.slice(i + 1) === shorter.slice(i);
}

/** The word and every form with one letter removed. */
function deletes(word: string, withSelf: boolean): Set<string> {
  const out = new Set<string>(withSelf ? [word] : []);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Forms with two letters removed. */
function secondDeletes(word: string): Set<string> {
  const out = new Set<string>();
  for (const once of deletes(word, false)) for (const twice of deletes(once, false)) out.add(twice);
  return out;
}

/** Edit distance counting an adjacent swap as one edit; stops early past `limit`. */
function osaDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}
