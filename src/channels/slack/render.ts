/** Renders the reply model as Block Kit messages, chat-sized like the Telegram renderer: answer, notes, sources, buttons. */
import { shortTitle } from "../../answer/render-text.js";
import type { Action, Block as ReplyBlock, Citation, Reply } from "../../answer/reply.js";
import { phrase } from "../../shared/texts.js";
import type { Source } from "../../knowledge/schema.js";
import { countryName } from "../../knowledge/vocabulary.js";
import type { Lang } from "../../shared/lang.js";
import type { SimilarResult } from "../../retrieval/similar.js";
import { actionLabel, actionRows as actionButtonRows } from "../action-buttons.js";
import { actionPayload } from "../action-payload.js";
import { text } from "../../shared/texts.js";
import { splitSpans } from "../split-spans.js";
import { actionRows, button, context, lineSections, packMessages, section, spanSections, type Button, type Rendered, type SlackMessage } from "./blocks.js";
import { encodeButtonValue } from "./button-value.js";
import { escapeMrkdwn, link, mark, spansMrkdwn } from "./mrkdwn.js";

/** The reply as one message, or several in the thread when it needs more than 50 blocks; buttons under the last. */
export function renderReply(reply: Reply): SlackMessage[] {
  const lang = reply.lang;
  const content: Rendered[] = [];
  const leadCite = reply.leadCites.length ? ` [${reply.leadCites.join("][")}]` : "";
  if (reply.lead.length) content.push(...spanSections(reply.lead, (m) => mark("*", m) + leadCite));
  reply.body.forEach((block, i) => content.push(...blockSections(block, lastOfPassage(reply.body, i))));
  if (reply.notes.length)
    content.push(
      context(
        reply.notes.map((n) => `ℹ️ ${escapeMrkdwn(n)}`),
        reply.notes.join("\n"),
      ),
    );
  if (reply.citations.length) content.push(sourcesContext(reply.citations, lang));
  // A refusal names its nearest sheets; an answer offers the rest as buttons.
  const nearest = reply.mode === "refusal" ? reply.suggestions.filter((s) => s.type === "sheet") : [];
  if (nearest.length) content.push(...lineSections(nearest.map((s) => ({ mrkdwn: `• ${escapeMrkdwn(s.label)}`, plain: `• ${s.label}` }))));
  return packMessages(content, actionRows(buttonRows(reply)));
}

/** Full sources of an answer: each cited passage, then every reference of its document as links. */
export function renderSources(sources: Array<{ citation: Citation; references: Source[] }>, lang: Lang): SlackMessage[] {
  if (!sources.length) return packMessages([section(escapeMrkdwn(text("noSources", lang)), text("noSources", lang))]);
  const content: Rendered[] = [section(mark("*", text("sources", lang)), text("sources", lang))];
  for (const { citation: c, references } of sources) {
    const heading = `[${c.n}] ${c.title}${c.section ? ` › ${c.section}` : ""}`;
    const lines = references.map((s) => {
      const label = [s.publisher, s.title, s.year?.toString()].filter(Boolean).join(", ");
      const note = s.note && !s.url && !s.via ? ` (${s.note})` : "";
      return { mrkdwn: `• ${link(label, s.url ?? s.via)}${escapeMrkdwn(note)}`, plain: `• ${label}${note}` };
    });
    content.push(...lineSections([{ mrkdwn: mark("*", escapeMrkdwn(heading)), plain: heading }, ...lines]));
  }
  return packMessages(content);
}

/** Documented cooperations close to a description, best first, each with its countries and why it matches. */
export function renderSimilar(result: SimilarResult): SlackMessage[] {
  const lang = result.lang;
  if (!result.results.length) return packMessages([section(escapeMrkdwn(phrase("noSimilar", lang)), phrase("noSimilar", lang))]);
  const content: Rendered[] = [section(mark("*", text("similarTitle", lang)), text("similarTitle", lang))];
  result.results.forEach((r, i) => {
    const countries = r.country.map((c) => countryName(c, lang)).join(", ");
    const why = r.why ? `\n${text("why", lang)} : ${r.why}` : "";
    const plain = `${i + 1}. ${r.title}\n${countries}${why}`;
    content.push(section(`${mark("*", escapeMrkdwn(`${i + 1}. ${r.title}`))}\n${escapeMrkdwn(`${countries}${why}`)}`.slice(0, 3000), plain));
  });
  return packMessages(content);
}

/** "Sources : [1] <url|Title> › Section · [2] …" as a context block (ten elements at most, each under the limit). */
function sourcesContext(citations: Citation[], lang: Lang): Rendered {
  const items = citations.map((c) => {
    const where = c.section ? ` › ${c.section.split(" › ")[0]}` : "";
    return { mrkdwn: `[${c.n}] ${link(shortTitle(c.title), c.url)}${escapeMrkdwn(where)}`, plain: `[${c.n}] ${shortTitle(c.title)}${where}` };
  });
  // Citations joined by " · " after the label, in elements of at most 2,000 characters.
  const elements: string[][] = [[`${text("sources", lang)} :`]];
  let used = elements[0]![0]!.length;
  for (const item of items) {
    if (used + 3 + item.mrkdwn.length > 2000) {
      elements.push([]);
      used = 0;
    }
    elements.at(-1)!.push(item.mrkdwn);
    used += 3 + item.mrkdwn.length;
  }
  const joined = elements.map((parts, i) => (i === 0 ? `${parts[0]} ${parts.slice(1).join(" · ")}` : parts.join(" · ")));
  return context(joined, `${text("sources", lang)} : ${items.map((i) => i.plain).join(" · ")}`);
}

function lastOfPassage(body: ReplyBlock[], i: number): boolean {
  const next = body[i + 1];
  return !next || next.cites.join() !== body[i]!.cites.join();
}

/** One block of the answer as sections; long lists and paragraphs cut so each fits. */
function blockSections(block: ReplyBlock, citeHere: boolean): Rendered[] {
  const cite = citeHere && block.cites.length && block.type !== "heading" ? ` [${block.cites.join("][")}]` : "";
  switch (block.type) {
    case "heading":
      return spanSections(block.spans, (m) => mark("*", m));
    case "note":
      return spanSections(block.spans, (m) => `ℹ️ ${mark("_", m)}${cite}`);
    case "paragraph":
      return withCite(spanSections(block.spans), cite);
    case "steps":
    case "bullets": {
      const lines = block.items.flatMap((item, i) => {
        const marker = block.type === "steps" ? `${(block.start ?? 1) + i}. ` : "• ";
        return splitSpans(item, 1200).map((piece, j) => {
          const plain = piece.map((s) => s.text).join("");
          return { mrkdwn: `${j === 0 ? marker : "   "}${spansMrkdwn(piece)}`, plain: `${j === 0 ? marker : "   "}${plain}` };
        });
      });
      if (cite && lines.length) {
        const last = lines.at(-1)!;
        lines[lines.length - 1] = { mrkdwn: last.mrkdwn + cite, plain: last.plain + cite };
      }
      return lineSections(lines);
    }
  }
}

/** The citation mark at the end of a passage's last section. */
function withCite(sections: Rendered[], cite: string): Rendered[] {
  const last = sections.at(-1);
  if (!cite || !last || last.block.type !== "section" || !last.block.text) return sections;
  return [...sections.slice(0, -1), section(last.block.text.text + cite, last.plain + cite)];
}

/** The reply's actions as rows of buttons: reading on (more, sources, similar), the sheet's sections, feedback. */
const SLACK_SECTION_CHARS = 40;

function buttonRows(reply: Reply): Button[][] {
  // Each button's action id is unique in the message: its place in the reply's actions.
  const toButton = (action: Action): Button =>
    button(actionLabel(action, reply.lang, SLACK_SECTION_CHARS), `terrinclus:${action.type}:${reply.actions.indexOf(action)}`, encodeButtonValue(actionPayload(action, reply.answerId)));
  return actionButtonRows(reply.actions).map((row) => row.map(toButton));
}
