/** Text normalisation shared by indexing and querying: folding, tokenising, stemming. */
import snowball from "snowball-stemmers";
import { eng, fra } from "stopword";
import type { Lang } from "./lang.js";

const stemmers = { fr: snowball.newStemmer("french"), en: snowball.newStemmer("english") };
/** Distinct words whose stem is remembered per language before the memo starts again: a bound on memory the kit never reaches. */
const STEM_MEMO_LIMIT = 200_000;
const stemMemo: Record<Lang, Map<string, string>> = { fr: new Map(), en: new Map() };

/** Question words and fillers that carry no topic in either language. */
// biome-ignore format: one line per kind of word, French then English
const QUESTION_WORDS = [
  "comment", "pourquoi", "quand", "quoi", "quel", "quelle", "quels", "quelles", "combien", "faut", "faire", "fait",
  "peut", "peux", "dois", "doit", "est", "ce", "cela", "ca", "y", "a", "il", "on", "nous", "je", "j", "l", "d", "qu", "n", "s", "c",
  "devrait", "devraient", "devons", "devez", "doivent", "pourrait", "pourraient", "pouvons", "pouvez", "peuvent", "faudrait", "sont", "etre", "ete", "avoir", "ont", "fais", "font", "sais", "savoir", "veux", "voudrais", "aimerais", "merci", "bonjour", "svp", "stp",
  "comme", "si", "dit", "dire", "chose", "choses", "truc", "trucs", "re", "ve", "ll", "don", "t",
  "how", "why", "shall", "may", "might", "must", "need", "want", "please", "thanks", "hello", "tell", "explain", "know", "when", "what", "which", "who", "whom", "where", "should", "can", "could", "would", "do", "does", "did", "i", "we", "us", "my", "our", "s",
];
const STOPWORDS = new Set([...fra, ...eng, ...QUESTION_WORDS].map((w) => fold(w)));

/** Lowercase and strip diacritics ("Évaluation" → "evaluation"), keeping letters and digits. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** Words of a text, folded, in order (apostrophes split "l'évaluation" into "l", "evaluation"). */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The Snowball stem of a folded word in a language; words of three letters or fewer, and those with digits, are kept as they are. */
export function stem(word: string, lang: Lang): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  // Memoised: a corpus and its questions repeat the same few thousand words, and stemming is most of analysing a text.
  const memo = stemMemo[lang];
  let stemmed = memo.get(word);
  if (stemmed === undefined) {
    if (memo.size >= STEM_MEMO_LIMIT) memo.clear();
    stemmed = stemmers[lang].stem(word);
    memo.set(word, stemmed);
  }
  return stemmed;
}

/** Whether a folded word is a French or English stopword, or a question word or filler. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Stems of the content words of a text, in order. */
export function contentStems(text: string, lang: Lang): string[] {
  return contentWords(text).map((w) => stem(w, lang));
}

/** The content words of a text (folded), aligned with `contentStems`. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !isStopword(w) && (w.length > 1 || /\d/.test(w)));
}

/** Number of words as an editor counts them (unfolded; "l'évaluation" and "co-financement" are one word each). */
export function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

/** A URL- and file-safe id from any name ("Guide TERRINCLUS 2017.pdf" → "guide-terrinclus-2017"). */
export function slugify(name: string): string {
  return words(name).join("-").slice(0, 80) || "document";
}

/**
 * `text` well-formed: a platform's JSON may carry lone UTF-16 surrogates (`"\ud800"`), which JavaScript strings hold
 * but Redis' Lua JSON decoder and the platforms refuse; each becomes U+FFFD (pairs, emoji among them, are kept).
 */
export function wellFormed(text: string): string {
  return text.replace(/\p{Surrogate}/gu, "\uFFFD");
}
