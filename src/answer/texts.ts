/** Fixed phrases of replies, in French and English. */
import type { Lang } from "../knowledge/vocabulary.js";
import type { Intent } from "./intent.js";

type Phrase = Record<Lang, string>;

const q = (lang: Lang, title: string) => (lang === "fr" ? `« ${title} »` : `“${title}”`);

export function leadFor(intent: Intent, lang: Lang, title: string, kind: string): string {
  const t = q(lang, title);
  if (kind === "case") return lang === "fr" ? `Ce que l'on sait de la coopération ${t} :` : `What is known about the cooperation ${t}:`;
  if (kind === "document") return lang === "fr" ? `Extrait du document ${t} :` : `From the document ${t}:`;
  const fr: Record<Intent, string> = {
    how: `Voici la démarche proposée par la fiche ${t}.`,
    what: `Voici ce qu'en dit la fiche ${t}.`,
    who: `Qui associer, d'après la fiche ${t} :`,
    why: `Les raisons avancées par la fiche ${t} :`,
    when: `Le calendrier type, d'après la fiche ${t} :`,
    duration: `Les durées, d'après la fiche ${t} :`,
    frequency: `Le rythme, d'après la fiche ${t} :`,
    amount: `Les montants et financements, d'après la fiche ${t} :`,
    which: `Les possibilités, d'après la fiche ${t} :`,
    examples: `Des exemples, d'après la fiche ${t} :`,
    pitfalls: `Les points de vigilance de la fiche ${t} :`,
    general: `D'après la fiche ${t} :`,
  };
  const en: Record<Intent, string> = {
    how: `Here is the approach set out in the sheet ${t}.`,
    what: `Here is what the sheet ${t} says.`,
    who: `Who to involve, according to the sheet ${t}:`,
    why: `The reasons given in the sheet ${t}:`,
    when: `The typical timeline, according to the sheet ${t}:`,
    duration: `Durations, according to the sheet ${t}:`,
    frequency: `How often, according to the sheet ${t}:`,
    amount: `Amounts and funding, according to the sheet ${t}:`,
    which: `The options, according to the sheet ${t}:`,
    examples: `Examples, according to the sheet ${t}:`,
    pitfalls: `Pitfalls listed in the sheet ${t}:`,
    general: `According to the sheet ${t}:`,
  };
  return (lang === "fr" ? fr : en)[intent];
}

export const PHRASES = {
  refusalLead: {
    fr: "Le kit TERRINCLUS ne traite pas cette question.",
    en: "The TERRINCLUS kit does not cover this question.",
  },
  refusalNear: {
    fr: "Je réponds uniquement à partir du kit et des coopérations documentées, pour ne rien inventer. Les fiches les plus proches :",
    en: "I only answer from the kit and the documented cooperations, so as not to make anything up. The nearest sheets:",
  },
  refusalNothingNear: {
    fr: "Je réponds uniquement à partir du kit et des coopérations documentées : diagnostic, partenaires, gouvernance, convention, financements, suivi-évaluation, capitalisation.",
    en: "I only answer from the kit and the documented cooperations: diagnosis, partners, governance, agreements, funding, monitoring and evaluation, capitalisation.",
  },
  emptyQuestion: {
    fr: "Posez-moi une question sur la coopération internationale des Départements (diagnostic, gouvernance, évaluation, financements…).",
    en: "Ask me a question about Départements' international cooperation (diagnosis, governance, evaluation, funding…).",
  },
  practiceNote: {
    fr: "Pratique générale de la coopération décentralisée, et non contenu propre au guide TERRINCLUS.",
    en: "General practice of decentralised cooperation, not content specific to the TERRINCLUS guide.",
  },
  otherLanguage: {
    fr: "Ce passage n'existe qu'en anglais dans le kit ; il est cité tel quel.",
    en: "The kit has this passage in French only; it is quoted as written.",
  },
  continued: {
    fr: "La suite est dans la fiche (/sources pour les références complètes).",
    en: "More in the sheet (/sources for the full references).",
  },
  noSimilar: {
    fr: "Aucune coopération documentée ne correspond.",
    en: "No documented cooperation matches.",
  },
  partial: {
    fr: "Le kit ne couvre qu'une partie de votre question : vérifiez que ce passage répond bien à ce que vous cherchez.",
    en: "The kit covers only part of your question: check that this passage answers what you are looking for.",
  },
  modelFallback: {
    fr: "Le modèle de langue n'a pas répondu à temps : réponse extraite directement du kit.",
    en: "The language model did not answer in time: answer taken directly from the kit.",
  },
  unsourced: {
    fr: "Cette réponse générée ne cite aucun passage du kit : elle n'est pas sourcée, vérifiez-la.",
    en: "This generated answer cites no passage of the kit: it is not sourced, check it.",
  },
} satisfies Record<string, Phrase>;

export function phrase(key: keyof typeof PHRASES, lang: Lang): string {
  return PHRASES[key][lang];
}
