/** Markdown passages (knowledge or model output) → reply blocks, keeping steps numbered and lists as lists. */
import { LIST_ITEM, markdownBlocks } from "../shared/markdown.js";
import { parseInline } from "./inline.js";
import type { Block, Span } from "./reply.js";

/** The reply blocks of a passage (headings, numbered steps, bullets, tables as bullets, notes, paragraphs), each citing `cites`. */
export function toBlocks(markdown: string, cites: number[]): Block[] {
  const out: Block[] = [];
  for (const block of markdownBlocks(markdown)) {
    const heading = /^#{1,6}\s+(.+)$/.exec(block);
    if (heading) {
      out.push({ type: "heading", spans: parseInline(heading[1]!), cites });
      continue;
    }
    const lines = block.split("\n");
    if (LIST_ITEM.test(lines[0]!)) {
      const items = listItems(lines);
      const first = /^\s*(\d+)[.)]\s/.exec(lines[0]!);
      const start = Number(first?.[1] ?? 1);
      if (first) out.push({ type: "steps", items: items.map((i) => parseInline(i)), cites, ...(start > 1 ? { start } : {}) });
      else out.push({ type: "bullets", items: items.map((i) => parseInline(i)), cites });
      continue;
    }
    if (lines.every((l) => /^\s*\|/.test(l))) {
      out.push({ type: "bullets", items: tableRows(lines).map((row) => parseInline(row)), cites });
      continue;
    }
    if (lines.every((l) => /^\s*>/.test(l))) {
      out.push({
        type: "note",
        spans: parseInline(
          lines
            .map((l) => l.replace(/^\s*>\s?/, ""))
            .join(" ")
            .trim(),
        ),
        cites,
      });
      continue;
    }
    out.push({ type: "paragraph", spans: parseInline(lines.map((l) => l.trim()).join(" ")), cites });
  }
  return out;
}

/** List items with their continuation lines joined; nested items are flattened into their parent's text. */
function listItems(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    const top = /^(?:[-*+]|\d+[.)])\s+/.test(line);
    const text = line.replace(LIST_ITEM, "").trim();
    if (top || !items.length) items.push(text);
    else items[items.length - 1] += (LIST_ITEM.test(line) ? " — " : " ") + text;
  }
  return items;
}

/** Table rows as "header: value; header: value" lines (chats have no tables). */
function tableRows(lines: string[]): string[] {
  const cells = lines
    .filter((l) => !/^\s*\|?\s*:?-{2,}/.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim()),
    );
  const [header, ...rows] = cells;
  if (!header || !rows.length) return cells.map((c) => c.join(" — "));
  return rows.map((row) => row.map((c, i) => (header[i] ? `**${header[i]}** : ${c}` : c)).join(" ; "));
}

/** Number of characters a list of blocks shows (a budget, not an exact rendering). */
export function blocksLength(blocks: Block[]): number {
  const spans = (s: Span[]) => s.reduce((n, x) => n + x.text.length, 0);
  return blocks.reduce((n, b) => n + ("items" in b ? b.items.reduce((m, i) => m + spans(i) + 4, 0) : spans(b.spans)) + 2, 0);
}
