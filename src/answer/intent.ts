/** What kind of question is asked, so the composer picks the right part of a sheet. */
import { fold } from "../shared/text.js";

export type Intent = "how" | "what" | "who" | "why" | "when" | "funding" | "pitfalls" | "general";

const PATTERNS: Array<[Intent, RegExp]> = [
  ["pitfalls", /\b(pieges?|vigilance|erreurs?|eviter|risques?|pitfalls?|mistakes?|avoid|risks?)\b/],
  ["funding", /\b(financ\w*|fund\w*|subvention\w*|budget\w*|grants?|co-?financ\w*|cofinanc\w*|appels? a projets?|calls? for (projects|proposals))\b/],
  ["when", /\b(quand|combien de temps|duree|calendrier|delais?|jalons?|phases?|when|how long|timeline|duration|milestones?|schedule)\b/],
  ["why", /\b(pourquoi|interet|why|benefits?|rationale)\b/],
  ["who", /\b(qui|acteurs?|participants?|membres?|composition|who|whom|members?|stakeholders?)\b/],
  ["how", /\b(comment|etapes?|demarche|structurer|organiser|constituer|mettre en place|mener|conduire|construire|rediger|how|steps?|set up|structure|organi[sz]e|build|run|draft|write)\b/],
  ["what", /\b(qu'?est-ce|c'?est quoi|definition|definir|signifie|veut dire|what is|what are|what does|define|definition|meaning|means)\b/],
];

export function detectIntent(question: string): Intent {
  const text = fold(question);
  for (const [intent, pattern] of PATTERNS) if (pattern.test(text)) return intent;
  return "general";
}

/** Section headings that suit each intent, matched on folded text. */
export const SECTION_HINTS: Record<Intent, RegExp> = {
  how: /etape|steps?|demarche|methode|method|comment|how|constituer|mettre en place|setting up|organis/,
  what: /en bref|in short|definition|qu.est|what is|principe|principle/,
  who: /acteur|actor|composition|membres?|members?|participants?|qui|who|role/,
  why: /pourquoi|why|raisons?|reasons?|interet|benefits?|en bref|in short/,
  when: /calendrier|calendar|phases?|jalons?|milestones?|durees?|durations?|timing|delais?/,
  funding: /financ|fund|appels?|calls?|cofinanc|co-financ/,
  pitfalls: /vigilance|pieges?|pitfalls?|erreurs?|mistakes?|risques?|risks?/,
  general: /en bref|in short/,
};
