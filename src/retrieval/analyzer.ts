/** Turns text into the terms both indexes use: content stems plus glossary concept ids (`#concept`). */
import type { Lang } from "../shared/lang.js";
import { languageEvidence } from "../shared/language.js";
import { contentWords, stem } from "../shared/text.js";
import type { ConceptMatcher } from "./concepts.js";

const CONCEPT_PREFIX = "#";

export interface Analysis {
  lang: Lang;
  stems: string[];
  concepts: string[];
  /** stems and `#concept` terms together. */
  terms: string[];
  /**
   * What a document must contain to cover the text: each unit is a term (weighted by its own IDF) with
   * alternatives that count as covering it — a stem is also covered by the concept it belongs to
   * (a sheet that says "points de vigilance" covers a question about "pièges").
   */
  coverageUnits: string[][];
}

/** Analyzes questions and passages alike, with the glossary's concepts, so both indexes match them term for term. */
export class Analyzer {
  constructor(private readonly concepts: ConceptMatcher) {}

  /** `lang` is the text's language when known; otherwise it is detected. */
  analyze(text: string, lang?: Lang): Analysis {
    const language = lang ?? languageEvidence(text);
    if (language) return this.analyzeIn(text, language);
    // Nothing in the text tells its language (short phrases): the glossary wordings it contains decide, else French.
    const fr = this.analyzeIn(text, "fr");
    const en = this.analyzeIn(text, "en");
    return en.concepts.length > fr.concepts.length ? en : fr;
  }

  private analyzeIn(text: string, language: Lang): Analysis {
    const words = contentWords(text);
    const stems = words.map((w) => stem(w, language));
    const occurrences = this.concepts.occurrences(stems, language, words);
    const concepts = occurrences.map((o) => CONCEPT_PREFIX + o.concept);
    const conceptAt = new Map<number, string>();
    for (const o of occurrences) for (let k = 0; k < o.length; k++) conceptAt.set(o.start + k, CONCEPT_PREFIX + o.concept);
    const coverageUnits = [...stems.map((s, i) => (conceptAt.has(i) ? [s, conceptAt.get(i)!] : [s])), ...concepts.map((c) => [c])];
    return { lang: language, stems, concepts, terms: [...stems, ...concepts], coverageUnits };
  }
}
