/** Renders the reply model as Telegram HTML messages: split under the length limit, formatting intact in each part. */
import { shortTitle } from "../../answer/render-text.js";
import type { CitedSources } from "../../answer/engine.js";
import type { Block, Reply } from "../../answer/reply.js";
import { phrase } from "../../shared/texts.js";
import { countryName } from "../../knowledge/vocabulary.js";
import type { Lang } from "../../shared/lang.js";
import type { SimilarResult } from "../../retrieval/similar.js";
import { text } from "../../shared/texts.js";
import { join, spansFragment, splitSpans, textFragment, wrap, type Fragment } from "./html.js";

/** Telegram refuses messages whose text, after entity parsing, exceeds 4,096 characters. */
const TELEGRAM_MAX_TEXT = 4096;

/** A reply as HTML messages of at most `max` characters: bold lead, body, notes, one line of sources, and a refusal's nearest sheets. */
export function renderReply(reply: Reply, max = TELEGRAM_MAX_TEXT): string[] {
  const lang = reply.lang;
  const budget = Math.floor(max * 0.9);
  const parts: Fragment[] = [];
  const leadCite = reply.leadCites.length ? [textFragment(` [${reply.leadCites.join("][")}]`)] : [];
  if (reply.lead.length) parts.push(join([wrap("b", spansFragment(reply.lead)), ...leadCite]));
  reply.body.forEach((block, i) => parts.push(...blockFragments(block, lastOfPassage(reply.body, i), budget)));
  if (reply.notes.length) parts.push(wrap("i", textFragment(reply.notes.map((n) => `ℹ️ ${n}`).join("\n"))));
  // One short line of sources; the full references are one tap away.
  if (reply.citations.length) {
    const cited = reply.citations.map((c) => join([textFragment(`[${c.n}] `), link(shortTitle(c.title), c.url), textFragment(c.section ? ` › ${c.section.split(" › ")[0]}` : "")]));
    parts.push(wrap("i", join([textFragment(`${text("sources", lang)} : `), join(cited, " · ")])));
  }
  // A refusal names its nearest sheets; an answer offers the rest as buttons.
  const nearest = reply.mode === "refusal" ? reply.suggestions.filter((s) => s.type === "sheet") : [];
  if (nearest.length)
    parts.push(
      ...lines(
        nearest.map((s) => textFragment(`• ${s.label}`)),
        budget,
      ),
    );
  return pack(parts, max);
}

/** Full sources of an answer: each cited passage, then every reference of its document. */
export function renderSources(sources: CitedSources, lang: Lang, max = TELEGRAM_MAX_TEXT): string[] {
  if (!sources.length) return [textFragment(text("noSources", lang)).html];
  const budget = Math.floor(max * 0.9);
  const parts: Fragment[] = [wrap("b", textFragment(text("sources", lang)))];
  for (const { citation: c, references: refs } of sources) {
    const references = refs.map((s) => {
      const label = [s.publisher, s.title, s.year?.toString()].filter(Boolean).join(", ");
      return join([textFragment("• "), link(label, s.url ?? s.via), textFragment(s.note && !s.url && !s.via ? ` (${s.note})` : "")]);
    });
    parts.push(...lines([wrap("b", textFragment(`[${c.n}] ${c.title}${c.section ? ` › ${c.section}` : ""}`)), ...references], budget));
  }
  return pack(parts, max);
}

/** Similar cooperations as HTML messages: each numbered with its countries and why it matches, or a "none found" line. */
export function renderSimilar(result: SimilarResult, max = TELEGRAM_MAX_TEXT): string[] {
  const lang = result.lang;
  if (!result.results.length) return [textFragment(phrase("noSimilar", lang)).html];
  const parts: Fragment[] = [wrap("b", textFragment(text("similarTitle", lang)))];
  result.results.forEach((r, i) => {
    const countries = r.country.map((c) => countryName(c, lang)).join(", ");
    parts.push(join([wrap("b", textFragment(`${i + 1}. ${r.title}`)), textFragment(`\n${countries}${r.why ? `\n${text("why", lang)} : ${r.why}` : ""}`)]));
  });
  return pack(parts, max);
}

/** A link when the URL is a web address, plain text otherwise. */
function link(label: string, url: string | undefined): Fragment {
  return spansFragment([{ text: label, ...(url ? { href: url } : {}) }]);
}

function lastOfPassage(body: Block[], i: number): boolean {
  const next = body[i + 1];
  return !next || next.cites.join() !== body[i]!.cites.join();
}

/** One block may become several fragments: long lists and paragraphs split so each fits a message. */
function blockFragments(block: Block, citeHere: boolean, budget: number): Fragment[] {
  const cite = citeHere && block.cites.length && block.type !== "heading" ? textFragment(` [${block.cites.join("][")}]`) : undefined;
  const withCite = (pieces: Fragment[]) => (cite && pieces.length ? [...pieces.slice(0, -1), join([pieces.at(-1)!, cite])] : pieces);
  switch (block.type) {
    case "heading":
      return [wrap("b", spansFragment(block.spans))];
    case "steps":
    case "bullets": {
      const items = block.items.flatMap((item, i) => {
        const marker = block.type === "steps" ? `${(block.start ?? 1) + i}. ` : "• ";
        return splitSpans(item, budget).map((piece, j) => join([textFragment(j === 0 ? marker : "   "), spansFragment(piece)]));
      });
      return lines(withCite(items), budget);
    }
    case "note":
      return splitSpans(block.spans, budget).map((piece) => wrap("i", join([textFragment("ℹ️ "), spansFragment(piece)])));
    case "paragraph":
      return withCite(splitSpans(block.spans, budget).map(spansFragment));
  }
}

/** Consecutive lines (list items, references) grouped one per line into fragments of at most `budget` characters. */
function lines(items: Fragment[], budget: number): Fragment[] {
  const groups: Fragment[][] = [];
  let used = 0;
  for (const item of items) {
    const current = groups.at(-1);
    if (current && used + 1 + item.length <= budget) {
      current.push(item);
      used += 1 + item.length;
    } else {
      groups.push([item]);
      used = item.length;
    }
  }
  return groups.map((group) => join(group, "\n"));
}

/** Packs fragments, a blank line apart, into messages of at most `max` visible characters. */
function pack(fragments: Fragment[], max: number): string[] {
  const messages: string[] = [];
  let current: Fragment[] = [];
  let used = 0;
  for (const f of fragments) {
    const cost = f.length + (current.length ? 2 : 0);
    if (current.length && used + cost > max) {
      messages.push(join(current, "\n\n").html);
      current = [];
      used = 0;
    }
    used += current.length ? f.length + 2 : f.length;
    current.push(f);
  }
  if (current.length) messages.push(join(current, "\n\n").html);
  return messages;
}
