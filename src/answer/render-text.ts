/** Renders a reply as plain text: for the console, the `answer` field of the JSON contract, and logs. */
import { THEMES, countryName, type Theme } from "../knowledge/vocabulary.js";
import type { Lang } from "../shared/lang.js";
import type { SimilarResult } from "../retrieval/similar.js";
import type { Block, Citation, Reply, Span } from "./reply.js";
import { phrase, text } from "../shared/texts.js";

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
}

export const PLAIN: TextStyle = { bold: (t) => t, dim: (t) => t };
export const ANSI: TextStyle = { bold: (t) => `\x1b[1m${t}\x1b[22m`, dim: (t) => `\x1b[2m${t}\x1b[22m` };

/** Spans as text, bold through `style`, each link's address in brackets after its text when they differ. */
function spansToText(spans: Span[], style: TextStyle = PLAIN): string {
  return spans.map((s) => (s.bold ? style.bold(s.text) : s.text) + (s.href && s.href !== s.text ? ` (${s.href})` : "")).join("");
}

function cite(block: Block, next: Block | undefined): string {
  const last = !next || next.cites.join() !== block.cites.join();
  return last && block.cites.length ? ` [${block.cites.join("][")}]` : "";
}

/** A block as text (numbered steps, • bullets, ℹ notes), followed by `suffix` (its citation marks) except for a heading. */
function blockToText(block: Block, style: TextStyle = PLAIN, suffix = ""): string {
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
  const lead = spansToText(reply.lead, style) + (reply.leadCites.length ? ` [${reply.leadCites.join("][")}]` : "");
  const parts = [lead];
  reply.body.forEach((block, i) => parts.push(blockToText(block, style, block.type === "heading" ? "" : cite(block, reply.body[i + 1]))));
  return parts.filter(Boolean).join("\n\n");
}

/** The reply as a chat shows it: answer, notes, one short sources line, then what is one step away. */
export function replyToText(reply: Reply, style: TextStyle = PLAIN): string {
  const lang = reply.lang;
  const parts = [answerText(reply, style)];
  if (reply.notes.length) parts.push(reply.notes.map((n) => style.dim(`ℹ ${n}`)).join("\n"));
  if (reply.citations.length) parts.push(style.dim(`${text("sources", lang)} : ${sourcesLine(reply.citations, lang)}`));
  const docs = reply.suggestions.filter((s) => s.type !== "question");
  // A refusal's body already announces its nearest sheets.
  if (docs.length && reply.mode === "refusal") parts.push(docs.map((s) => `• ${s.label}`).join("\n"));
  else if (docs.length) parts.push(style.dim(`${text("seeAlso", lang)} : ${docs.map((s) => shortTitle(s.label)).join(" · ")}`));
  return parts.join("\n\n");
}

/** "[1] Short title › Section · [2] …": where the answer comes from, in one line (other-language passages marked). */
function sourcesLine(citations: Citation[], lang: Lang): string {
  return citations.map((c) => `[${c.n}] ${shortTitle(c.title)}${c.section ? ` › ${c.section.split(" › ")[0]}` : ""}${c.lang !== lang ? ` (${c.lang})` : ""}`).join(" · ");
}

/** A title cut before its subtitle (after ":") or at a word, so a sources line stays one line. */
export function shortTitle(title: string, max = 48): string {
  const head = title.split(/\s*:\s+/)[0]!;
  if (head.length <= max) return head;
  return `${head.slice(0, max - 1).replace(/\s+\S*$/, "")}…`;
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
      return `${i + 1}. ${r.title}\n   ${countries} · ${themes}\n   ${text("why", lang)}: ${r.why || "—"} (score ${r.score})`;
    })
    .join("\n");
}
