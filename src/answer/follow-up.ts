/** Recognises a follow-up question ("et qui doit y participer ?") that only makes sense after the previous one. */
import type { Lang } from "../knowledge/vocabulary.js";
import { contentStems, fold } from "../shared/text.js";

const OPENERS = /^(et|mais|ensuite|puis|aussi|alors|and|but|also|then|so|what about|how about|et pour|et si|et en|and for|and if)\b/;
const REFERENCES: Record<Lang, RegExp> = {
  fr: /\b(y|en|le|la|les|lui|leur|il|elle|ils|elles|ce|cela|ca|celui|celle|ceux|cette etape|ce comite|ce sujet|ca)\b/,
  en: /\b(it|its|they|them|their|this|that|these|those|there|he|she|one)\b/,
};

/** Short questions that open with a connector or lean on a pronoun are read in the previous topic's context. */
export function isFollowUp(question: string, lang: Lang, hasConcept: boolean): boolean {
  const text = fold(question).trim();
  const size = contentStems(question, lang).length;
  if (size > 7) return false;
  if (OPENERS.test(text)) return true;
  return !hasConcept && size <= 4 && REFERENCES[lang].test(text);
}

/** Without a language model, the follow-up is searched together with the question it follows. */
export function carryTopic(previousStandalone: string, question: string): string {
  return `${previousStandalone.trim()} ${question.trim()}`;
}
