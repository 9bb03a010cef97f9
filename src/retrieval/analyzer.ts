/** Turns text into the terms both indexes use: content stems plus glossary concept ids (`#concept`). */
import type { Lang } from "../knowledge/vocabulary.js";
import { languageEvidence } from "../shared/language.js";
import { contentStems } from "../shared/text.js";
import type { ConceptMatcher } from "./concepts.js";

export const CONCEPT_PREFIX = "#";

export interface Analysis {
  lang: Lang;
  stems: string[];
  concepts: string[];
  /** stems and `#concept` terms together. */
  terms: string[];
}

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
    const stems = contentStems(text, language);
    const concepts = this.concepts.match(stems, language).map((c) => CONCEPT_PREFIX + c);
    return { lang: language, stems, concepts, terms: [...stems, ...concepts] };
  }
}
