/** Renders a reply as plain text: for the console, the `answer` field of the JSON contract, and logs. */
import { THEMES, countryName, type Lang, type Theme } from "../knowledge/vocabulary.js";
import type { SimilarResult } from "../retrieval/similar.js";
import type { Block, Citation, Reply, Span } from "./reply.js";
import { phrase } from "./texts.js";

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
}

export const PLAIN: TextStyle = { bold: (t) => t, dim: (t) => t };
export const ANSI: TextStyle = { bold: (t) => `\x1b[1m${t}\x1b[22m`, dim: (t) => `\x1b[2m${t}\x1b[22m` };

const LABELS: Record<string, Record<Lang, string>> = {
  sources: { fr: "Sources", en: "Sources" },
  seeAlso: { fr: "Voir aussi", en: "See also" },
  why: { fr: "Pourquoi", en: "Why" },
  followUps: { fr: "Pour aller plus loin", en: "To go further" },
  caseStudy: { fr: "cas", en: "case" },
};

export function spansToText(spans: Span[], style: TextStyle = PLAIN): string {
  return spans.map((s) => (s.bold ? style.bold(s.text) : s.text) + (s.href && s.href !== s.text ? ` (${s.href})` : "")).join("");
}

function cite(block: Block, next: Block | undefined): string {
  const last = !next || next.cites.join() !== block.cites.join();
  return last && block.cites.length ? ` [${block.cites.join("][")}]` : "";
}

export function blockToText(block: Block, style: TextStyle = PLAIN, suffix = ""): string {
  switch (block.type) {
    case "heading":
      return style.bold(spansToText(block.spans, style));
    case "steps":
      return block.items.map((item, i) => `${(block.start ?? 1) + i}. ${spansToText(item, style)}`).join("\n") + suffix;
    case "bullets":
      return block.items.map((item) => `• ${spansToText(item, style)}`).join("\n") + suffix;
    case "note":
      return style.dim(`ℹ ${spansToText(block.spans, style)}`) + suffix;
    case "paragraph":
      return spansToText(block.spans, style) + suffix;
  }
}

/** Lead and body only: what `answer` holds in `terrinclus ask --json`. */
export function answerText(reply: Reply, style: TextStyle = PLAIN): string {
  const parts = [spansToText(reply.lead, style)];
  reply.body.forEach((block, i) => parts.push(blockToText(block, style, block.type === "heading" ? "" : cite(block, reply.body[i + 1]))));
  return parts.filter(Boolean).join("\n\n");
}

/** The full reply: answer, notes, sources, suggestions. */
export function replyToText(reply: Reply, style: TextStyle = PLAIN): string {
  const lang = reply.lang;
  const parts = [answerText(reply, style)];
  if (reply.notes.length) parts.push(reply.notes.map((n) => style.dim(`ℹ ${n}`)).join("\n"));
  if (reply.citations.length) parts.push(`${style.bold(LABELS.sources![lang])}\n${citationsToText(reply.citations, lang)}`);
  const docs = reply.suggestions.filter((s) => s.type !== "question");
  // A refusal's body already announces its nearest sheets.
  const heading = reply.mode === "refusal" ? "" : `${style.bold(LABELS.seeAlso![lang])}\n`;
  if (docs.length) parts.push(heading + docs.map((s) => `• ${s.label}${s.type === "case" ? ` (${LABELS.caseStudy![lang]})` : ""}`).join("\n"));
  const questions = reply.suggestions.filter((s) => s.type === "question");
  if (questions.length) parts.push(`${style.bold(LABELS.followUps![lang])}\n` + questions.map((s) => `• ${s.label}`).join("\n"));
  return parts.join("\n\n");
}

/** One line per citation ("[1] Title › Section"), with its link on the next line. */
export function citationsToText(citations: Citation[], lang: Lang): string {
  return citations.map((c) => `[${c.n}] ${c.title}${c.section ? ` › ${c.section}` : ""}${c.lang !== lang ? ` (${c.lang})` : ""}${c.url ? `\n    ${c.url}` : ""}`).join("\n");
}

/** Similar projects, best first: title, countries and themes, and why each matches. */
export function similarToText(result: SimilarResult): string {
  const lang = result.lang;
  if (!result.results.length) return phrase("noSimilar", lang);
  return result.results
    .map((r, i) => {
      const countries = r.country.map((c) => countryName(c, lang)).join(", ");
      const themes = r.themes.map((t) => THEMES[t as Theme]?.[lang] ?? t).join(", ");
      return `${i + 1}. ${r.title}\n   ${countries} · ${themes}\n   ${LABELS.why![lang]}: ${r.why || "—"} (score ${r.score})`;
    })
    .join("\n");
}
