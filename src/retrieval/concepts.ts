/** Finds glossary concepts in text, whatever the language or wording ("état des lieux" ≈ "baseline assessment"). */
import type { Glossary } from "../knowledge/schema.js";
import type { Lang } from "../shared/lang.js";
import { contentStems, contentWords } from "../shared/text.js";

interface Phrase {
  stems: string[];
  concept: string;
  /** Length of the wording when it is a single word. */
  wordLength?: number;
}

/** Letters an inflected form may add or drop ("indicateur" → "indicateurs", "evaluation" → "evaluate"). */
const MAX_INFLECTION = 3;

/** Matches the glossary's wordings in stem sequences, longest wording first; acronyms match in both languages. */
export class ConceptMatcher {
  /** For each language, phrases (as stem sequences) indexed by their first stem, longest first. */
  private readonly phrases: Record<Lang, Map<string, Phrase[]>> = { fr: new Map(), en: new Map() };

  constructor(glossary: Pick<Glossary, "terms">) {
    for (const term of glossary.terms) {
      for (const lang of ["fr", "en"] as const) {
        // Acronyms and proper names are often used as-is in the other language: match them in both.
        const wordings = [...term[lang], ...term[lang === "fr" ? "en" : "fr"].filter(isAcronym)];
        for (const wording of wordings) this.add(lang, contentStems(wording, lang), term.concept, contentWords(wording));
      }
    }
    for (const table of Object.values(this.phrases)) for (const list of table.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  }

  private add(lang: Lang, stems: string[], concept: string, words: string[]): void {
    if (!stems.length) return;
    const list = this.phrases[lang].get(stems[0]!) ?? [];
    // A one-word wording also remembers its length: stems conflate "capital" and "capitalisation".
    const wordLength = stems.length === 1 ? words[0]!.length : undefined;
    if (!list.some((p) => p.concept === concept && p.stems.join(" ") === stems.join(" "))) list.push({ stems, concept, wordLength });
    this.phrases[lang].set(stems[0]!, list);
  }

  /** Concept ids found in a stem sequence (as produced by `contentStems`), one entry per occurrence. */
  match(stems: string[], lang: Lang, words?: string[]): string[] {
    return this.occurrences(stems, lang, words).map((o) => o.concept);
  }

  /**
   * Each concept occurrence with the span of stems it covers. With the words behind the stems
   * (`contentWords`), a one-word wording only matches a word of close length (an inflection, not a cousin).
   */
  occurrences(stems: string[], lang: Lang, words?: string[]): Array<{ concept: string; start: number; length: number }> {
    const found: Array<{ concept: string; start: number; length: number }> = [];
    const table = this.phrases[lang];
    for (let i = 0; i < stems.length; i++) {
      for (const phrase of table.get(stems[i]!) ?? []) {
        if (phrase.wordLength !== undefined && words && Math.abs(words[i]!.length - phrase.wordLength) > MAX_INFLECTION) continue;
        if (phrase.stems.every((s, j) => stems[i + j] === s)) {
          found.push({ concept: phrase.concept, start: i, length: phrase.stems.length });
          i += phrase.stems.length - 1;
          break;
        }
      }
    }
    return found;
  }
}

function isAcronym(wording: string): boolean {
  return /^[A-Z0-9][A-Z0-9&.\- ]{1,9}$/.test(wording.trim()) && /[A-Z]/.test(wording);
}
