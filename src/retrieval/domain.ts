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
import type { Chunk } from "./chunk.js";

export const PASSING_MENTION = 0.5;
/**
 * Broad general-language stopword lists (stopwords-iso: "just", "place", "tout", "autres"): such words
 * carry no topic, so they neither prove nor disprove that the kit covers a question.
 */
const GENERAL_WORDS = new Set<string>();
const stopwordsIso = createRequire(import.meta.url)("stopwords-iso") as Record<string, string[]>;
for (const lang of ["fr", "en"] as const) for (const w of stopwordsIso[lang]!) GENERAL_WORDS.add(stem(fold(w), lang));
/** A word found in more than this share of the documents says nothing about which topic is asked. */
const EVERYWHERE = 0.4;

export class DomainProfile {
  /** Words of the kit's own terms: titles, headings, keywords, glossary wordings. */
  private readonly terms = new Set<string>();
  /** Words of how documents describe themselves: summaries and answered questions. */
  private readonly topical = new Set<string>();
  private readonly mentioned = new Set<string>();
  private readonly everywhere = new Set<string>();

  constructor(chunks: Iterable<Chunk>, bankQuestions: Array<{ q: string; lang: "fr" | "en" }>, glossary: Pick<Glossary, "terms">) {
    const documentsOf = new Map<string, Set<string>>();
    const allDocuments = new Set<string>();
    for (const chunk of chunks) {
      for (const s of contentStems([chunk.title, chunk.section, chunk.keywords.join(" ")].join("\n"), chunk.lang)) this.terms.add(s);
      for (const s of contentStems(chunk.summary ?? "", chunk.lang)) this.topical.add(s);
      const about = [chunk.title, chunk.section, chunk.keywords.join(" "), chunk.summary ?? ""].join("\n");
      allDocuments.add(chunk.docId);
      for (const s of contentStems(`${about}\n${chunk.text}`, chunk.lang)) {
        this.mentioned.add(s);
        const docs = documentsOf.get(s) ?? new Set<string>();
        docs.add(chunk.docId);
        documentsOf.set(s, docs);
      }
    }
    for (const [stem, docs] of documentsOf) if (docs.size > EVERYWHERE * allDocuments.size) this.everywhere.add(stem);
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

  weight(stem: string): number {
    if (this.terms.has(stem) || (this.topical.has(stem) && !this.everywhere.has(stem))) return 1;
    return this.mentioned.has(stem) || this.topical.has(stem) ? PASSING_MENTION : 0;
  }

  /**
   * Mean weight of the question's distinct content words (0..1); a word inside a glossary wording
   * (its coverage unit names a concept) belongs to the domain.
   */
  share(analysis: Analysis): number {
    const units = new Map<string, number>();
    for (const unit of analysis.coverageUnits) {
      const [term, concept] = unit;
      // Concepts are weighed through their words; numbers (years, amounts) say nothing of the topic.
      if (term!.startsWith("#") || /^\d+$/.test(term!) || (!concept && GENERAL_WORDS.has(term!))) continue;
      units.set(term!, Math.max(units.get(term!) ?? 0, concept ? 1 : this.weight(term!)));
    }
    if (!units.size) return 0;
    return [...units.values()].reduce((a, b) => a + b, 0) / units.size;
  }
}
