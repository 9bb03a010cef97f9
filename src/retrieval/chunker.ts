/** Splits Markdown into passages that keep their heading path and never cut a list or table in two. */
import type { KnowledgeDocument } from "../knowledge/document.js";
import { sourceUrl } from "../knowledge/document.js";
import { LIST_ITEM, markdownSections } from "../shared/markdown.js";
import type { Chunk } from "./chunk.js";

export interface ChunkOptions {
  /** Target maximum size of a passage, in characters. A single block larger than this is split at list items or sentences. */
  maxChars: number;
}

const DEFAULTS: ChunkOptions = { maxChars: 1400 };

/** A document's passages, section by section, each with the document's metadata; lists of links alone are left out. */
export function chunkDocument(doc: KnowledgeDocument, options: Partial<ChunkOptions> = {}): Chunk[] {
  const { maxChars } = { ...DEFAULTS, ...options };
  const meta = doc.meta;
  const facets = meta.kind === "case" ? { country: meta.country, themes: meta.themes, publics: meta.publics } : {};
  const url = sourceUrl(meta);
  const chunks: Chunk[] = [];
  for (const section of markdownSections(doc.body)) {
    for (const text of pack(
      section.blocks.filter((b) => !isLinkList(b)),
      maxChars,
    )) {
      const position = chunks.length;
      chunks.push({
        chunkId: `${meta.id}.${meta.lang}#${position}`,
        docId: meta.id,
        lang: meta.lang,
        kind: meta.kind,
        title: meta.title,
        section: section.path.join(" › "),
        position,
        path: doc.path,
        ...(url ? { url } : {}),
        related: meta.related,
        keywords: meta.keywords,
        ...(position === 0 ? { sources: meta.sources, ...(meta.summary ? { summary: meta.summary } : {}) } : {}),
        basis: meta.basis,
        ...facets,
        text,
      });
    }
  }
  return chunks;
}

/** A block made only of links (a "related sheets" list) says nothing by itself; the metadata keeps the relations. */
function isLinkList(block: string): boolean {
  return block.split("\n").every((line) => /^\s*(?:[-*+]\s+)?\[[^\]]+\]\([^)]+\)[\s.;,:—–-]*(?:[^\s].{0,80})?$/.test(line) && /\]\(/.test(line));
}

/** Packs consecutive blocks into passages of at most `maxChars`, splitting only oversized blocks. */
function pack(sectionBlocks: string[], maxChars: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const block of sectionBlocks.flatMap((b) => (b.length > maxChars ? splitBlock(b, maxChars) : [b]))) {
    if (current && current.length + block.length + 2 > maxChars) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${block}` : block;
  }
  if (current) out.push(current);
  return out;
}

/** An oversized list splits between items; an oversized paragraph between sentences; a table or code block stays whole. */
function splitBlock(block: string, maxChars: number): string[] {
  const lines = block.split("\n");
  const first = lines[0] ?? "";
  if (/^\s*(\||```|~~~)/.test(first)) return [block];
  const isList = LIST_ITEM.test(first);
  const indent = (line: string) => line.length - line.trimStart().length;
  const units = isList
    ? lines.reduce<string[]>((items, line) => {
        // Only an item at the list's own level starts a unit: nested items and continuation lines stay with their parent.
        if ((LIST_ITEM.test(line) && indent(line) <= indent(first)) || !items.length) items.push(line);
        else items[items.length - 1] += `\n${line}`;
        return items;
      }, [])
    : block.split(/(?<=[.!?…])\s+/);
  const joiner = isList ? "\n" : " ";
  const out: string[] = [];
  let current = "";
  for (const unit of units) {
    if (current && current.length + unit.length + 1 > maxChars) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}${joiner}${unit}` : unit;
  }
  if (current) out.push(current);
  return out;
}
