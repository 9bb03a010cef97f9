/** Controlled vocabularies for case-study facets, with French and English labels. */
import countries from "i18n-iso-countries";
import { createRequire } from "node:module";
import { LANGS, type Lang } from "../shared/lang.js";

const require = createRequire(import.meta.url);
countries.registerLocale(require("i18n-iso-countries/langs/fr.json"));
countries.registerLocale(require("i18n-iso-countries/langs/en.json"));

export const THEMES = {
  "social-action": { fr: "action sociale", en: "social action" },
  "child-protection": { fr: "protection de l'enfance", en: "child protection" },
  "early-childhood": { fr: "petite enfance", en: "early childhood" },
  youth: { fr: "jeunesse", en: "youth" },
  "womens-rights": { fr: "droits des femmes", en: "women's rights" },
  disability: { fr: "handicap", en: "disability" },
  health: { fr: "santé", en: "health" },
  "maternal-child-health": { fr: "santé maternelle et infantile", en: "maternal and child health" },
  "water-sanitation": { fr: "eau et assainissement", en: "water and sanitation" },
  "education-training": { fr: "éducation et formation", en: "education and training" },
  "social-work-training": { fr: "formation au travail social", en: "social-work training" },
  "economic-inclusion": { fr: "insertion économique", en: "economic inclusion" },
  "agroecology-environment": { fr: "agroécologie et environnement", en: "agroecology and environment" },
  "local-development": { fr: "développement local", en: "local development" },
  "local-governance": { fr: "gouvernance locale", en: "local governance" },
  "youth-mobility": { fr: "mobilité des jeunes", en: "youth mobility" },
  evaluation: { fr: "évaluation", en: "evaluation" },
  "mining-transition": { fr: "transition post-minière", en: "post-mining transition" },
  "capacity-building": { fr: "renforcement des capacités", en: "capacity building" },
} as const satisfies Record<string, Record<Lang, string>>;

export const PUBLICS = {
  children: { fr: "enfants", en: "children" },
  youth: { fr: "jeunes", en: "young people" },
  women: { fr: "femmes", en: "women" },
  "people-with-disabilities": { fr: "personnes en situation de handicap", en: "people with disabilities" },
  elderly: { fr: "personnes âgées", en: "elderly people" },
  families: { fr: "familles", en: "families" },
  "vulnerable-people": { fr: "personnes vulnérables", en: "vulnerable people" },
  professionals: { fr: "professionnels", en: "professionals" },
  "local-officials": { fr: "élus et agents locaux", en: "local officials" },
} as const satisfies Record<string, Record<Lang, string>>;

export type Theme = keyof typeof THEMES;
export type Public = keyof typeof PUBLICS;
export const THEME_IDS = Object.keys(THEMES) as [Theme, ...Theme[]];
export const PUBLIC_IDS = Object.keys(PUBLICS) as [Public, ...Public[]];

export const CASE_STATUSES = ["pilote-terrinclus", "departement-participant"] as const;

/** An ISO 3166-1 alpha-2 code as stored and filtered on ("MA"): not alpha-3, numeric or lowercase. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

/** A country's name in a language, from its ISO code in any case; the code itself when unknown. */
export function countryName(code: string, lang: Lang): string {
  return countries.getName(code.toUpperCase(), lang) ?? code;
}

/** Every name of every country in both languages (official and short forms), for matching in free text. */
export function countryNames(): Array<{ code: string; name: string }> {
  const out: Array<{ code: string; name: string }> = [];
  for (const lang of LANGS) {
    for (const [code, names] of Object.entries(countries.getNames(lang, { select: "all" }))) {
      for (const name of names) out.push({ code, name });
    }
  }
  return out;
}
