/** What kind of answer a question asks for, so the composer picks the right part of a sheet. */
import { fold } from "../shared/text.js";

export type Intent = "how" | "what" | "who" | "why" | "when" | "duration" | "frequency" | "amount" | "rule" | "which" | "examples" | "pitfalls" | "general";

/** First match wins: the narrower asks (how long, how often, how much) come before the broad ones (how, what). */
const PATTERNS: Array<[Intent, RegExp]> = [
  ["frequency", /\b(tous les combien|a quel rythme|quel rythme|quelle frequence|frequence|combien de fois|souvent|periodicite|how often|how frequently|frequency|how many times|often)\b/],
  ["duration", /\b(combien de temps|ca dure|dure combien|duree|pendant combien|sur combien d'?annees|how long|duration|last for|lasts?)\b/],
  ["amount", /\b(combien (ca|cela) coute|ca coute|coute combien|combien d'?argent|quel montant|montants?|jusqu'?a combien|combien (faut|on|il)|budget|how much|amount|cost|costs|price)\b/],
  [
    "rule",
    /\b(a-t-on le droit|avons-nous le droit|a le droit|est-ce (autorise|permis|legal|obligatoire)|est-il (autorise|permis|obligatoire)|faut-il (une|un) (deliberation|convention|vote)|obligatoire|legalement|juridiquement|la loi|allowed|permitted|is it legal|legally|the law|mandatory|required by|do we need (a|an) (agreement|deliberation|vote))\b/,
  ],
  ["pitfalls", /\b(pieges?|vigilance|erreurs?|eviter|risques?|pitfalls?|traps?|mistakes?|avoid|risks?|watch out)\b/],
  ["examples", /\b(exemples?|par exemple|concretement des|cas concrets?|examples?|for instance|e\.?g\.?|case studies)\b/],
  ["who", /\b(qui|acteurs?|participants?|membres?|composition|sieger|who|whom|members?|stakeholders?|sit on)\b/],
  ["when", /\b(quand|a quel moment|depuis quand|en quelle annee|calendrier|delais?|jalons?|phases?|when|timeline|milestones?|schedule|what year)\b/],
  ["why", /\b(pourquoi|interet|a quoi ca sert|a quoi bon|why|benefits?|rationale|what for|point of)\b/],
  [
    "which",
    /\b(quels|quelles|lesquel(le)?s|lequel|laquelle|quel(le)? (fonds|outils?|financements?|dispositifs?|appels?|sources?)|which|what (funds|tools|kinds?|types?|options)|financ\w*|fund\w*|subvention\w*|grants?)\b/,
  ],
  ["how", /\b(comment|etapes?|demarche|structurer|organiser|constituer|mettre en place|mener|conduire|construire|rediger|on fait|how|steps?|set up|structure|organi[sz]e|build|run|draft|write)\b/],
  ["what", /\b(qu'?est-ce|c'?est quoi|definition|definir|signifie|veut dire|what is|what are|what does|define|meaning|means)\b/],
];

/** The intent of the first pattern the folded question matches; "general" when none does. */
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
  when: /calendrier|calendar|phases?|jalons?|milestones?|timing|delais?/,
  duration: /durees?|durations?|delais?/,
  frequency: /rythme|frequence|frequency|reunions?|meetings?|comite|committee|suivi|monitoring/,
  amount: /financ|fund|budget|montant|amount|cofinanc|co-financ|appels?|calls?/,
  rule: /juridique|legal|loi|law|regles?|rules?|obligations?|conditions?|convention|agreement/,
  which: /outils?|tools?|financ|fund|appels?|calls?|dispositifs?|options|types?/,
  examples: /exemples?|examples?|cas|cases?|illustration/,
  pitfalls: /vigilance|pieges?|pitfalls?|erreurs?|mistakes?|risques?|risks?/,
  general: /en bref|in short/,
};
