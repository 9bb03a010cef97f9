/** Block Kit pieces within Slack's limits: sections of at most 3,000 characters, contexts, buttons, messages of 50 blocks. */
import type { types } from "@slack/bolt";
import type { Span } from "../../answer/reply.js";
import { splitSpans } from "../split-spans.js";
import { escapeMrkdwn, spansMrkdwn } from "./mrkdwn.js";

export type Block = types.KnownBlock;
export type Button = types.Button;

/** Slack's limits (Block Kit reference). */
const LIMITS = { blocks: 50, sectionText: 3000, contextElements: 10, actionsElements: 25, buttonText: 75, buttonValue: 2000, fallbackText: 3000 } as const;

/** One message as `chat.postMessage` takes it: blocks and their plain-text fallback (notifications, screen readers). */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** A block with its plain text, from which the message's fallback `text` is made. */
export interface Rendered {
  block: Block;
  plain: string;
}

/** A mrkdwn section with its plain text (the caller keeps it under the limit). */
export function section(mrkdwn: string, plain: string): Rendered {
  return { block: { type: "section", text: { type: "mrkdwn", text: mrkdwn } }, plain };
}

/** Sections holding `spans` (with a mrkdwn prefix and suffix), cut where needed so each stays under the limit. */
export function spanSections(spans: Span[], wrap: (mrkdwn: string) => string = (m) => m, budget = 1500): Rendered[] {
  return splitSpans(spans, budget).flatMap((piece) => {
    const mrkdwn = wrap(spansMrkdwn(piece));
    if (mrkdwn.length <= LIMITS.sectionText) return [section(mrkdwn, plainOf(piece))];
    // Escaping (`&` → `&amp;`) and link targets lengthen a piece: cut it finer.
    return budget > 100 ? spanSections(piece, wrap, Math.floor(budget / 2)) : [section(mrkdwn.slice(0, LIMITS.sectionText), plainOf(piece))];
  });
}

/** Lines (list items, references) grouped one per line into as few sections as the limit allows. */
export function lineSections(lines: Array<{ mrkdwn: string; plain: string }>): Rendered[] {
  const groups: Array<{ mrkdwn: string[]; plain: string[]; used: number }> = [];
  for (const line of lines) {
    const current = groups.at(-1);
    if (current && current.used + 1 + line.mrkdwn.length <= LIMITS.sectionText) {
      current.mrkdwn.push(line.mrkdwn);
      current.plain.push(line.plain);
      current.used += 1 + line.mrkdwn.length;
    } else groups.push({ mrkdwn: [line.mrkdwn], plain: [line.plain], used: line.mrkdwn.length });
  }
  return groups.map((g) => section(g.mrkdwn.join("\n"), g.plain.join("\n")));
}

/** A context block (small grey text): elements of mrkdwn, at most ten. */
export function context(elements: string[], plain: string): Rendered {
  const texts = elements.slice(0, LIMITS.contextElements).map((text) => ({ type: "mrkdwn" as const, text: text.slice(0, LIMITS.sectionText) }));
  return { block: { type: "context", elements: texts }, plain };
}

/** A button; its label is cut to Slack's 75 characters and its value must fit 2,000. */
export function button(label: string, actionId: string, value: string): Button {
  if (value.length > LIMITS.buttonValue) throw new Error(`button value over ${LIMITS.buttonValue} characters`);
  const text = [...label].length > LIMITS.buttonText ? `${[...label].slice(0, LIMITS.buttonText - 1).join("")}…` : label;
  return { type: "button", action_id: actionId, text: { type: "plain_text", text, emoji: true }, value };
}

/** Rows of buttons as actions blocks (25 buttons at most each). */
export function actionRows(rows: Button[][]): Block[] {
  return rows
    .filter((row) => row.length)
    .flatMap((row) => {
      const blocks: Block[] = [];
      for (let i = 0; i < row.length; i += LIMITS.actionsElements) blocks.push({ type: "actions", elements: row.slice(i, i + LIMITS.actionsElements) });
      return blocks;
    });
}

/**
 * Packs rendered blocks into messages of at most 50 blocks, the trailing `actions` on the last one,
 * each with a plain-text fallback made of its own blocks.
 */
export function packMessages(content: Rendered[], actions: Block[] = []): SlackMessage[] {
  const groups: Rendered[][] = [[]];
  for (const item of content) {
    if (groups.at(-1)!.length >= LIMITS.blocks) groups.push([]);
    groups.at(-1)!.push(item);
  }
  if (groups.at(-1)!.length + actions.length > LIMITS.blocks) groups.push([]);
  return groups
    .filter((group, i) => group.length || (i === groups.length - 1 && actions.length))
    .map((group, i, all) => ({
      text: fallback(
        group
          .map((r) => r.plain)
          .filter(Boolean)
          .join("\n\n"),
      ),
      blocks: [...group.map((r) => r.block), ...(i === all.length - 1 ? actions : [])],
    }));
}

/** A short notice: one section, same text as fallback. */
export function notice(text: string): SlackMessage {
  return packMessages([section(escapeMrkdwn(text), text)])[0]!;
}

/** The fallback `text`: plain, escaped (it is parsed as mrkdwn too), never empty, cut under the limit. */
function fallback(plain: string): string {
  const cut = plain.length > LIMITS.fallbackText ? `${plain.slice(0, LIMITS.fallbackText - 1).replace(/\s+\S*$/, "")}…` : plain;
  return escapeMrkdwn(cut || "…");
}

function plainOf(spans: Span[]): string {
  return spans.map((s) => s.text).join("");
}
