/** Recognises countries, themes and publics named in free text, in French or English. */
import type { Lang } from "../shared/lang.js";
import { PUBLICS, THEMES, countryNames, isCountryCode, type Public, type Theme } from "../knowledge/vocabulary.js";
import { contentStems, words } from "../shared/text.js";

export interface Facets {
  countries: string[];
  themes: Theme[];
  publics: Public[];
}

/** Extra wordings users type for themes and publics, beyond the vocabulary's labels. */
const THEME_WORDS: Partial<Record<Theme, string[]>> = {
  "child-protection": ["protection enfance", "aide sociale à l'enfance", "enfance en danger", "child welfare", "child protection"],
  "early-childhood": ["petite enfance", "crèche", "pouponnière", "early childhood", "nursery"],
  youth: ["jeunesse", "jeunes", "youth", "young people"],
  "womens-rights": ["droits des femmes", "égalité femmes-hommes", "genre", "women's rights", "gender"],
  disability: ["handicap", "disability", "disabilities"],
  health: ["santé", "health"],
  "water-sanitation": ["eau", "assainissement", "water", "sanitation"],
  "agroecology-environment": ["agroécologie", "environnement", "agro-ecology", "agroecology", "environment"],
  "youth-mobility": ["service civique", "volontariat", "mobilité internationale", "civic service", "volunteering"],
  "social-work-training": ["travail social", "travailleurs sociaux", "social work", "social workers"],
  "mining-transition": ["après-mine", "post-minier", "mining"],
  "economic-inclusion": ["insertion professionnelle", "emploi", "employment", "jobs"],
};
const PUBLIC_WORDS: Partial<Record<Public, string[]>> = {
  children: ["enfants", "enfance", "children", "child"],
  youth: ["jeunes", "young people", "youth"],
  women: ["femmes", "women"],
  "people-with-disabilities": ["handicapées", "personnes handicapées", "disabled people"],
  elderly: ["personnes âgées", "seniors", "elderly", "older people"],
};

type Phrase<T> = { stems: string[]; value: T };

function phrases<T extends string>(labels: Record<T, Record<Lang, string>>, extra: Partial<Record<T, string[]>>): Record<Lang, Phrase<T>[]> {
  const out: Record<Lang, Phrase<T>[]> = { fr: [], en: [] };
  for (const lang of ["fr", "en"] as const) {
    for (const [value, label] of Object.entries(labels) as Array<[T, Record<Lang, string>]>) {
      for (const wording of [label.fr, label.en, ...(extra[value] ?? [])]) {
        const stems = contentStems(wording, lang);
        if (stems.length) out[lang].push({ stems, value });
      }
    }
  }
  return out;
}

const THEME_PHRASES = phrases(THEMES, THEME_WORDS);
const PUBLIC_PHRASES = phrases(PUBLICS, PUBLIC_WORDS);
const COUNTRY_PHRASES = countryNames()
  .map(({ code, name }) => ({ words: words(name), value: code }))
  .filter((p) => p.words.length && p.words.join(" ").length > 3);

function find<T>(sequence: string[], table: Array<{ stems?: string[]; words?: string[]; value: T }>): T[] {
  const found = new Set<T>();
  for (const phrase of table) {
    const target = phrase.stems ?? phrase.words!;
    for (let i = 0; i + target.length <= sequence.length; i++) {
      if (target.every((t, j) => sequence[i + j] === t)) {
        found.add(phrase.value);
        break;
      }
    }
  }
  return [...found];
}

/** The countries (by name, in either language), themes and publics a text mentions, each once. */
export function detectFacets(text: string, lang: Lang): Facets {
  const stems = contentStems(text, lang);
  return {
    countries: find(words(text), COUNTRY_PHRASES),
    themes: find(stems, THEME_PHRASES[lang]),
    publics: find(stems, PUBLIC_PHRASES[lang]),
  };
}

/** A country given on the command line as a code ("MA") or a name in French or English ("Maroc", "Morocco"). */
export function resolveCountry(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  if (isCountryCode(code)) return code;
  return find(words(input), COUNTRY_PHRASES)[0];
}

/** A theme given as its id or its label in either language. */
export function resolveTheme(input: string): Theme | undefined {
  if (input in THEMES) return input as Theme;
  for (const lang of ["fr", "en"] as const) {
    const hit = find(contentStems(input, lang), THEME_PHRASES[lang])[0];
    if (hit) return hit;
  }
  return undefined;
}
