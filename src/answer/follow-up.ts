/** Recognises a follow-up question ("et qui doit y participer ?") that only makes sense after the previous one. */
import type { Lang } from "../shared/lang.js";
import { contentStems, fold } from "../shared/text.js";

const OPENERS = /^(et|mais|ensuite|puis|aussi|alors|and|but|also|then|so|what about|how about|et pour|et si|et en|and for|and if)\b/;
const REFERENCES: Record<Lang, RegExp> = {
  // Pronouns only: an article ("quel est le cours…") refers to nothing said before.
  fr: /\b(y|en|lui|leur|il|elle|ils|elles|cela|ca|celui|celle|ceux|cette etape|ce comite|ce sujet)\b/,
  en: /\b(it|its|they|them|their|this|that|these|those|there|he|she|one)\b/,
};

/** Short questions that open with a connector or lean on a pronoun are read in the previous topic's context. */
export function isFollowUp(question: string, lang: Lang, hasConcept: boolean): boolean {
  const text = fold(question).trim();
  const size = contentStems(question, lang).length;
  if (size > 7) return false;
  if (OPENERS.test(text)) return true;
  // A short question that names no topic of its own only makes sense after the previous answer.
  if (!ownTopic(question, lang)) return true;
  return !hasConcept && size <= 4 && REFERENCES[lang].test(text);
}

/** Without a language model, the follow-up is searched together with the question it follows. */
export function carryTopic(previousStandalone: string, question: string): string {
  return `${previousStandalone.trim()} ${question.trim()}`;
}

/** Words that only say what kind of answer is wanted (who, how long, pitfalls…), not what it is about. */
const ASKING_WORDS = new Set(
  (
    "qui quoi quel quelle quels quelles lesquels lesquelles lequel laquelle combien temps dure duree souvent frequence rythme fois exemple exemples " +
    "piege pieges eviter risque risques erreur erreurs montant montants cout coute couter comment pourquoi quand etape etapes concretement " +
    "participer sieger faut doit peut outils who whom what which how long often frequently times example examples instance pitfalls pitfall avoid " +
    "risks risk mistakes mistake cost costs amount much when steps step concretely tools sit take last lasts involved"
  ).split(" "),
);

/** The follow-up's own topic: its content words that are not asking words ("et pour le financer ?" → "financer"). */
export function ownTopic(question: string, lang: Lang): string {
  const own =
    fold(question)
      .match(/[\p{L}\p{N}]+/gu)
      ?.filter((w) => !ASKING_WORDS.has(w)) ?? [];
  return contentStems(own.join(" "), lang).length ? own.join(" ") : "";
}
