/** The opening sentence of a reply when the kit does not state what was asked (its words are in the catalog). */
import type { Lang } from "../shared/lang.js";
import { ASKED_FACT } from "../shared/texts.js";
import type { Intent } from "./intent.js";

const q = (lang: Lang, title: string) => (lang === "fr" ? `« ${title} »` : `“${title}”`);

/** The first sentence when the kit does not state what was asked: says so, then points to what it does say. */
export function notStatedLead(intent: Intent, lang: Lang, title: string): string {
  const fact = ASKED_FACT[intent]?.[lang] ?? (lang === "fr" ? "de réponse précise" : "a precise answer");
  return lang === "fr" ? `Le kit ne donne pas ${fact} pour cela. Ce que dit ${q(lang, title)} :` : `The kit does not give ${fact} for this. What ${q(lang, title)} says:`;
}
