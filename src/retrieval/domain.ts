/**
 * How much of a question belongs to the kit's domain. A word counts fully when the kit is about it
 * (its titles, headings, keywords or glossary name it), or when summaries and answered questions use it
 * without it being spread over most documents; half when the kit only mentions it in passing or uses it
 * everywhere in its phrasing ("temps", "good"); not at all when the kit never uses it.
 */
import { createRequire } from "node:module";
import type { Glossary } from "../knowledge/schema.js";
import { contentStems, fold, stem } from "../shared/text.js";
import type { Analysis } from "./analyzer.js";
import type { Lang } from "../shared/lang.js";

const PASSING_MENTION = 0.5;
/**
 * Broad general-language stopword lists (stopwords-iso: "just", "place", "tout", "autres"): such words
 * carry no topic, so they neither prove nor disprove that the kit covers a question.
 */
const GENERAL_WORDS = new Set<string>();
const stopwordsIso = createRequire(import.meta.url)("stopwords-iso") as Record<string, string[]>;
for (const lang of ["fr", "en"] as const) for (const w of stopwordsIso[lang]!) GENERAL_WORDS.add(stem(fold(w), lang));
/** A word found in more than this share of the documents says nothing about which topic is asked. */
const EVERYWHERE = 0.4;

/** The kit's vocabulary, weighed once at load, to tell how far a question is within the kit's field. */
export class DomainProfile {
  /** Words of the kit's own terms: titles, headings, keywords, glossary wordings. */
  private readonly terms = new Set<string>();
  /** Words of how documents describe themselves: summaries and answered questions. */
  private readonly topical = new Set<string>();
  private readonly mentioned = new Set<string>();
  private readonly everywhere = new Set<string>();

  /**
   * `documentsByStem`: the documents each indexed stem occurs in (the passages' BM25 postings, so that
   * start-up does not stem the whole corpus again); `headers`: each distinct title, heading path, keyword
   * list and summary of the passages.
   */
  constructor(
    documentsByStem: ReadonlyMap<string, ReadonlySet<string>>,
    documentCount: number,
    headers: Iterable<{ text: string; lang: Lang; summary: boolean }>,
    bankQuestions: Array<{ q: string; lang: Lang }>,
    glossary: Pick<Glossary, "terms">,
  ) {
    for (const [term, docs] of documentsByStem) {
      if (term.startsWith("#")) continue;
      this.mentioned.add(term);
      if (docs.size > EVERYWHERE * documentCount) this.everywhere.add(term);
    }
    for (const { text, lang, summary } of headers) for (const s of contentStems(text, lang)) (summary ? this.topical : this.terms).add(s);
    for (const { q, lang } of bankQuestions) for (const s of contentStems(q, lang)) this.topical.add(s);
    for (const term of glossary.terms) {
      for (const lang of ["fr", "en"] as const) for (const wording of term[lang]) for (const s of contentStems(wording, lang)) this.terms.add(s);
    }
  }

  /** Terms that say what a question is about: general-language words dropped, unless nothing else is left. */
  topicTerms(terms: string[]): string[] {
    const kept = terms.filter((t) => t.startsWith("#") || !GENERAL_WORDS.has(t));
    return kept.length ? kept : terms;
  }

  /** A stem's weight as described above: 1 (the kit is about it), 0.5 (mentioned in passing or everywhere) or 0 (never used). */
  weight(stem: string): number {
    if (this.terms.has(stem) || (this.topical.has(stem) && !this.everywhere.has(stem))) return 1;
    return this.mentioned.has(stem) || this.topical.has(stem) ? PASSING_MENTION : 0;
  }

  /**
   * Mean weight of the question's distinct content words (0..1); a word inside a glossary wording
   * (its coverage unit names a concept) belongs to the domain. Undefined when every word is general
   * language ("what do we get out of this back home?"): the words then tell nothing either way.
   */
  share(analysis: Analysis): number | undefined {
    const units = new Map<string, number>();
    for (const unit of analysis.coverageUnits) {
      const [term, concept] = unit;
      // Concepts are weighed through their words; numbers (years, amounts) say nothing of the topic.
      if (term!.startsWith("#") || /^\d+$/.test(term!) || (!concept && GENERAL_WORDS.has(term!))) continue;
      units.set(term!, Math.max(units.get(term!) ?? 0, concept ? 1 : this.weight(term!)));
    }
    if (!units.size) return undefined;
    return [...units.values()].reduce((a, b) => a + b, 0) / units.size;
  }
}
