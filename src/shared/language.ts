/** French/English detection that holds up on short questions and on French typed without accents. */
import { detectAll } from "tinyld";
import type { Lang } from "./lang.js";
import { words } from "./text.js";

// Frequent function words that tell the two languages apart when the statistical detector hesitates.
const MARKERS: Record<Lang, Set<string>> = {
  fr: new Set(
    "le la les un une des du de et est sont pour avec dans sur par qui que quoi quel quelle quels quelles comment pourquoi ou au aux ce cette ces nous vous on il elle je mon ma mes notre nos votre vos leur leurs faut doit peut entre sans tres aussi".split(
      " ",
    ),
  ),
  en: new Set("the a an and is are for with in on by who what which how why where of to this that these those we you it i my our your their should can must between without very also do does".split(" ")),
};

/**
 * Detects French or English. Function-word evidence decides first (robust on three-word questions);
 * tinyld breaks ties; `fallback` (the user's preference, else French) answers when nothing tells.
 */
export function detectLanguage(text: string, fallback: Lang = "fr"): Lang {
  return languageEvidence(text) ?? fallback;
}

/** The language the text itself shows, or undefined when nothing tells (short phrases such as "partner diagnosis"). */
export function languageEvidence(text: string): Lang | undefined {
  const tokens = words(text);
  const fr = tokens.filter((w) => MARKERS.fr.has(w)).length;
  const en = tokens.filter((w) => MARKERS.en.has(w)).length;
  if (fr !== en && Math.max(fr, en) >= 1 && (fr === 0 || en === 0 || Math.abs(fr - en) >= 2)) return fr > en ? "fr" : "en";
  // One word ("FICOL ?", "budget ?") tells nothing; tinyld's guess on it is noise (FICOL → pt, sv, then fr).
  if (tokens.length < 2) return undefined;
  const ranked = detectAll(text).filter((r) => r.lang === "fr" || r.lang === "en");
  if (ranked[0]) return ranked[0].lang as Lang;
  if (fr !== en) return fr > en ? "fr" : "en";
  return undefined;
}
