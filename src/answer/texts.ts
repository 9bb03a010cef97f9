/** Fixed phrases of replies, in French and English. */
import type { Lang } from "../shared/lang.js";
import type { Intent } from "./intent.js";

type Phrase = Record<Lang, string>;

const q = (lang: Lang, title: string) => (lang === "fr" ? `« ${title} »` : `“${title}”`);

/** What a question asked for, when the kit does not state it ("how long" → "a duration"). */
const ASKED_FACT: Partial<Record<Intent, Phrase>> = {
  duration: { fr: "de durée", en: "a duration" },
  frequency: { fr: "de fréquence", en: "a frequency" },
  amount: { fr: "de montant", en: "an amount" },
  when: { fr: "de date ni de calendrier", en: "a date or timeline" },
  rule: { fr: "de règle juridique sur ce point", en: "a legal rule on this point" },
};

/** The first sentence when the kit does not state what was asked: says so, then points to what it does say. */
export function notStatedLead(intent: Intent, lang: Lang, title: string): string {
  const fact = ASKED_FACT[intent]?.[lang] ?? (lang === "fr" ? "de réponse précise" : "a precise answer");
  return lang === "fr" ? `Le kit ne donne pas ${fact} pour cela. Ce que dit ${q(lang, title)} :` : `The kit does not give ${fact} for this. What ${q(lang, title)} says:`;
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
  noSimilar: {
    fr: "Aucune coopération documentée n'est assez proche de cette description.",
    en: "No documented cooperation is close enough to this description.",
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
