/**
 * The direct answer: the one sentence (or list item) of the quoted passages that answers the question as asked,
 * so that a reply opens with the answer rather than an announcement.
 */
import type { Lang } from "../shared/lang.js";
import type { Chunk } from "../retrieval/chunk.js";
import { markdownBlocks, LIST_ITEM } from "../shared/markdown.js";
import { contentStems, fold } from "../shared/text.js";
import type { Intent } from "./intent.js";

/** What a unit must show to answer these intents; without it, the kit does not state what was asked. */
const EVIDENCE: Partial<Record<Intent, RegExp>> = {
  duration: /\b\d+\s*(a|à|-|to)?\s*\d*\s*(mois|ans?|annees?|semaines?|jours?|months?|years?|weeks?|days?)\b|\b(duree|duration|pluriannuel|multi-?year|triennal|triennial)/,
  frequency:
    /\b(rythme|rhythm|frequence|frequency|par an|chaque annee|annuel\w*|tous les|une fois|deux fois|fois par|mensuel\w*|trimestriel\w*|semestriel\w*|per year|a year|each year|every|annual\w*|monthly|quarterly|twice|once|yearly)\b/,
  amount: /€|\b(euros?|fcfa|mad|dirhams?|millions?|k€|m€)\b|\d\s?%|\b(montants?|amounts?|plafon\w*|caps?|capped|taux|rates?)\b/,
  when: /\b(19|20)\d\d\b|\b(avant|apres|des le|au debut|a la fin|before|after|at the start|at the end|first|d'abord|ensuite|then|phase|annee|year|mois|month)\b/,
  rule: /\b(article|l\.?\s?\d{4}|loi|law|code|deliberation|convention|obligatoire|mandatory|required|must|doit|doivent|autoris\w*|allowed|permitted|interdit|prohibited|legal\w*)\b/,
  who: /\b(elus?|services?|associations?|partenaires?|acteurs?|comite|membres?|habitants?|jeunes|femmes|agents?|directeur|direction|elected|departments?|partners?|members?|stakeholders?|residents?|staff|officers?|ngos?|civil society|societe civile)\b/,
  examples: /\b(par exemple|exemple|ainsi|comme|for example|for instance|such as|e\.g\.|example)\b|\b[A-Z][a-z]+-[A-Z]/,
  pitfalls: /\b(eviter|attention|risque|piege|sans|ne pas|ne \w+ pas|avoid|risk|pitfall|without|not|never|jamais)\b/,
};

/** Intents whose answer is a fact the kit may simply not give (a duration, a frequency, an amount, a date, a rule). */
const FACT_INTENTS: ReadonlySet<Intent> = new Set(["duration", "frequency", "amount", "when", "rule"]);

export interface DirectAnswer {
  /** The sentence or list item, as written (inline Markdown kept). */
  text: string;
  /** Index of the passage it comes from. */
  passage: number;
  /** The whole paragraph it was, when it was one (the body then leaves that paragraph out). */
  wholeBlock: boolean;
  /** False when the question asks for a fact (how long, how often…) that no quoted passage states. */
  stated: boolean;
}

/** Longest direct answer; a longer sentence is cut at a word boundary. */
export const MAX_DIRECT_CHARS = 320;

/**
 * `section` is the whole text of the first passage's section: a list the chunker cut in two is summarised whole.
 */
export function directAnswer(passages: Chunk[], intent: Intent, question: string, lang: Lang, section = passages[0]?.text ?? ""): DirectAnswer | undefined {
  const list = LIST_INTENTS.has(intent) ? listSummary(section, intent, lang) : undefined;
  if (list) return { text: list, passage: 0, wholeBlock: false, stated: true };
  const asked = new Set(contentStems(question, lang));
  const evidence = EVIDENCE[intent];
  let best: (DirectAnswer & { score: number }) | undefined;
  passages.forEach((passage, p) => {
    const units = unitsOf(passage.text);
    units.forEach((unit, u) => {
      const stems = contentStems(unit.text, passage.lang);
      const overlap = stems.filter((s) => asked.has(s)).length / Math.max(1, asked.size);
      const shown = evidence?.test(fold(unit.text)) ?? false;
      // Earlier units of the first passage open a section: they tend to say what follows.
      const opening = p === 0 ? 0.25 * (1 - u / Math.max(1, units.length)) : 0;
      // A fact asked for (a duration, a rule…) weighs more than sharing the question's words.
      // A line that announces what follows ("Lessons from the documented facts:") answers nothing itself.
      const announces = /:\s*$/.test(unit.text) ? 1 : 0;
      const score = overlap + (shown ? (FACT_INTENTS.has(intent) ? 0.8 : 0.6) : 0) + opening - (unit.text.length < 25 ? 0.3 : 0) - announces;
      if (!best || score > best.score) best = { text: unit.text, passage: p, wholeBlock: unit.wholeBlock, stated: shown || !FACT_INTENTS.has(intent), score };
    });
  });
  if (!best) return undefined;
  const { score: _score, ...answer } = best;
  return { ...answer, text: shorten(answer.text) };
}

/** Intents a list answers: its items' heads, in one sentence, are the direct answer. */
const LIST_INTENTS: ReadonlySet<Intent> = new Set(["how", "who", "which", "when", "pitfalls"]);
/** A list item's head (before " : ") is used when it is this short; longer items make no summary. */
const MAX_HEAD_CHARS = 70;
const MAX_HEADS = 8;

/** "In 4 steps: define its role in writing; bring both parties together; …" from the passage's first list. */
function listSummary(markdown: string, intent: Intent, lang: Lang): string | undefined {
  const block = markdownBlocks(markdown).find((b) => LIST_ITEM.test(b.split("\n")[0]!));
  if (!block) return undefined;
  const items = block
    .split("\n")
    .filter((l) => /^(?:[-*+]|\d+[.)])\s+/.test(l))
    .map((l) => l.replace(LIST_ITEM, "").trim());
  if (items.length < 2) return undefined;
  // An item's head is its bold opening ("**Define its role** in writing…") or the whole of a short item; a
  // "Label: data" item ("Signatories: …", "1992: …") has no head that answers anything.
  const heads: string[] = items.map((item) => plainText(/^\*\*(.+?)\*\*/.exec(item)?.[1] ?? (/\s:\s|:\s/.test(item) ? "" : item)));
  if (heads.some((h) => !h || h.length > MAX_HEAD_CHARS)) return undefined;
  // Dated items ("2007: …", "2015: …") are a chronology: the sentence that answers is better than their years.
  if (heads.filter((h) => /^\d/.test(h)).length * 2 > heads.length) return undefined;
  const shown = heads.slice(0, MAX_HEADS).map((h, i) => (i === 0 ? h : h.charAt(0).toLowerCase() + h.slice(1)));
  const joined = shown.join(lang === "fr" ? " ; " : "; ") + (heads.length > MAX_HEADS ? "…" : ".");
  if (intent !== "how") return joined.charAt(0).toUpperCase() + joined.slice(1);
  return lang === "fr" ? `En ${items.length} étapes : ${joined.charAt(0).toLowerCase()}${joined.slice(1)}` : `In ${items.length} steps: ${joined.charAt(0).toLowerCase()}${joined.slice(1)}`;
}

/** Inline Markdown markers removed (a summary sentence carries no bold or links). */
function plainText(text: string): string {
  return text
    .replace(/\*\*|__|\*|_(?=\S)|(?<=\S)_/g, "")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .replace(/[.;,]+$/, "")
    .trim();
}

/** Sentence boundaries (the rules are the same for French and English). */
const SENTENCES = new Intl.Segmenter("fr", { granularity: "sentence" });

interface Unit {
  text: string;
  wholeBlock: boolean;
}

/** Sentences of paragraphs and items of lists; headings and quotes are not answers. */
function unitsOf(markdown: string): Unit[] {
  const units: Unit[] = [];
  for (const block of markdownBlocks(markdown)) {
    if (/^#{1,6}\s/.test(block) || /^\s*>/.test(block) || /^\s*\|/.test(block)) continue;
    const lines = block.split("\n");
    if (LIST_ITEM.test(lines[0]!)) {
      for (const line of lines) if (LIST_ITEM.test(line)) units.push({ text: line.replace(LIST_ITEM, "").trim(), wholeBlock: false });
      continue;
    }
    const paragraph = lines.map((l) => l.trim()).join(" ");
    const parts = [...SENTENCES.segment(paragraph)].map((s) => s.segment.trim()).filter(Boolean);
    for (const part of parts) units.push({ text: part, wholeBlock: parts.length === 1 });
  }
  return units;
}

function shorten(text: string): string {
  if (text.length <= MAX_DIRECT_CHARS) return text;
  return `${text.slice(0, MAX_DIRECT_CHARS - 1).replace(/\s+\S*$/, "")}…`;
}
