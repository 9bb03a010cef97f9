/** Renders the reply model as Telegram HTML messages: split under the length limit, formatting intact in each part. */
import type { Block, Reply } from "../../answer/reply.js";
import type { Source } from "../../knowledge/schema.js";
import { countryName, type Lang } from "../../knowledge/vocabulary.js";
import type { SimilarResult } from "../../retrieval/similar.js";
import { text } from "../messages.js";
import { fragment, join, spansFragment, splitSpans, textFragment, wrap, type Fragment } from "./html.js";

/** Telegram refuses messages whose text, after entity parsing, exceeds 4,096 characters. */
export const TELEGRAM_MAX_TEXT = 4096;

export function renderReply(reply: Reply, max = TELEGRAM_MAX_TEXT): string[] {
  const lang = reply.lang;
  const parts: Fragment[] = [];
  if (reply.lead.length) parts.push(wrap("b", spansFragment(reply.lead)));
  reply.body.forEach((block, i) => parts.push(...blockFragments(block, lastOfPassage(reply.body, i), max)));
  if (reply.covers.length) parts.push(...reply.covers.map((c) => textFragment(`• ${c}`)));
  if (reply.notes.length) parts.push(wrap("i", textFragment(reply.notes.map((n) => `ℹ️ ${n}`).join("\n"))));
  if (reply.citations.length) {
    parts.push(wrap("b", textFragment(text("sources", lang))));
    for (const c of reply.citations) parts.push(join([textFragment(`[${c.n}] `), link(c.title, c.url), textFragment(c.section ? ` › ${c.section}` : "")]));
  }
  const docs = reply.suggestions.filter((s) => s.type !== "question");
  if (docs.length) {
    parts.push(wrap("b", textFragment(text("seeAlso", lang))));
    for (const s of docs) parts.push(textFragment(`• ${s.label}${s.type === "case" ? ` (${text("case", lang)})` : ""}`));
  }
  return pack(parts, max);
}

/** Full sources of an answer: each cited passage, then every reference of its document. */
export function renderSources(citations: Reply["citations"], sourcesOf: (id: string, lang: Lang) => Source[], lang: Lang, max = TELEGRAM_MAX_TEXT): string[] {
  if (!citations.length) return [escape(text("noSources", lang))];
  const parts: Fragment[] = [wrap("b", textFragment(text("sources", lang)))];
  for (const c of citations) {
    parts.push(wrap("b", join([textFragment(`[${c.n}] ${c.title}`), textFragment(c.section ? ` › ${c.section}` : "")])));
    for (const s of sourcesOf(c.id, c.lang)) {
      const label = [s.publisher, s.title, s.year?.toString()].filter(Boolean).join(", ");
      parts.push(join([textFragment("• "), link(label, s.url ?? s.via), textFragment(s.note && !s.url && !s.via ? ` (${s.note})` : "")]));
    }
  }
  return pack(parts, max);
}

export function renderSimilar(result: SimilarResult, max = TELEGRAM_MAX_TEXT): string[] {
  const lang = result.lang;
  if (!result.results.length) return [escape(text("noSimilar", lang))];
  const parts: Fragment[] = [wrap("b", textFragment(text("similarTitle", lang)))];
  result.results.forEach((r, i) => {
    const countries = r.country.map((c) => countryName(c, lang)).join(", ");
    parts.push(join([wrap("b", textFragment(`${i + 1}. ${r.title}`)), textFragment(`\n${countries}${r.why ? `\n${text("why", lang)} : ${r.why}` : ""}`)]));
  });
  return pack(parts, max);
}

function escape(s: string): string {
  return textFragment(s).html;
}

function link(label: string, url: string | undefined): Fragment {
  const f = textFragment(label);
  return url && /^https?:\/\//.test(url) ? fragment(`<a href="${url.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}">${f.html}</a>`, f.length) : f;
}

function lastOfPassage(body: Block[], i: number): boolean {
  const next = body[i + 1];
  return !next || next.cites.join() !== body[i]!.cites.join();
}

/** One block may become several fragments: list items and long paragraphs split so each fits a message. */
function blockFragments(block: Block, citeHere: boolean, max: number): Fragment[] {
  const cite = citeHere && block.cites.length && block.type !== "heading" ? ` [${block.cites.join("][")}]` : "";
  const budget = Math.floor(max * 0.9);
  switch (block.type) {
    case "heading":
      return [wrap("b", spansFragment(block.spans))];
    case "steps":
    case "bullets": {
      const items = block.items.flatMap((item, i) => {
        const marker = block.type === "steps" ? `${(block.start ?? 1) + i}. ` : "• ";
        return splitSpans(item, budget).map((piece, j) => join([textFragment(j === 0 ? marker : "   "), spansFragment(piece)]));
      });
      if (cite && items.length) items[items.length - 1] = join([items[items.length - 1]!, textFragment(cite)]);
      return [joinLines(items)];
    }
    case "note":
      return splitSpans(block.spans, budget).map((piece) => wrap("i", join([textFragment("ℹ️ "), spansFragment(piece)])));
    case "paragraph": {
      const pieces = splitSpans(block.spans, budget).map(spansFragment);
      if (cite && pieces.length) pieces[pieces.length - 1] = join([pieces[pieces.length - 1]!, textFragment(cite)]);
      return pieces;
    }
  }
}

function joinLines(items: Fragment[]): Fragment {
  return join(items, "\n");
}

/** Packs fragments into messages of at most `max` visible characters; a list too long for one message is cut between items. */
function pack(fragments: Fragment[], max: number): string[] {
  const messages: string[] = [];
  let current: Fragment[] = [];
  let used = 0;
  const flush = () => {
    if (current.length) messages.push(join(current, "\n\n").html);
    current = [];
    used = 0;
  };
  for (const f of fragments.flatMap((f) => (f.length > max ? splitListFragment(f, max) : [f]))) {
    const cost = f.length + (current.length ? 2 : 0);
    if (used + cost > max) flush();
    current.push(f);
    used += f.length + (current.length > 1 ? 2 : 0);
  }
  flush();
  return messages;
}

/** A joined list longer than a message: split on its line breaks (each line is a whole item with balanced tags). */
function splitListFragment(f: Fragment, max: number): Fragment[] {
  const lines = f.html.split("\n");
  if (lines.length < 2) return [f];
  const out: Fragment[] = [];
  for (const line of lines) out.push(fragment(line, visibleLength(line)));
  return out.length ? out.reduce<Fragment[]>((acc, line) => {
    const last = acc[acc.length - 1];
    if (last && last.length + 1 + line.length <= max) acc[acc.length - 1] = fragment(`${last.html}\n${line.html}`, last.length + 1 + line.length);
    else acc.push(line);
    return acc;
  }, []) : [f];
}

/** Visible length of our own generated markup (tags removed, the three entities decoded). */
function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, "_").length;
}
