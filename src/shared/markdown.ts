/** Block structure of Markdown, shared by the chunker and the answer composer. */

export const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;

/** Blocks: headings, paragraphs, whole lists (items with their continuation lines), whole tables, fenced code. */
export function markdownBlocks(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let buffer: string[] = [];
  let type: "para" | "list" | "table" | "code" | null = null;
  const flush = () => {
    if (buffer.some((l) => l.trim())) out.push(buffer.join("\n").trim());
    buffer = [];
    type = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (type === "code") {
      buffer.push(line);
      if (/^\s*(```|~~~)/.test(line)) flush();
      continue;
    }
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      type = "code";
      buffer.push(line);
      continue;
    }
    if (/^#{1,6}\s/.test(line)) {
      flush();
      out.push(line.trim());
      continue;
    }
    if (!line.trim()) {
      // A blank line inside a list does not end it when the next line continues it.
      const next = lines.slice(i + 1).find((l) => l.trim());
      if (type === "list" && next !== undefined && (LIST_ITEM.test(next) || /^\s{2,}\S/.test(next))) continue;
      flush();
      continue;
    }
    const kind = LIST_ITEM.test(line) ? "list" : /^\s*\|/.test(line) ? "table" : "para";
    if (type === null) type = kind;
    else if (type === "para" && kind !== "para") {
      flush();
      type = kind;
    } else if (type === "table" && kind !== "table") {
      flush();
      type = kind;
    }
    buffer.push(line);
  }
  flush();
  return out;
}

export interface MarkdownSection {
  /** Heading path below the document's title ("Étapes › Préparer"); empty for the lead. */
  path: string[];
  blocks: string[];
}

/** Sections by heading; the document's `#` title is dropped (the title is in the metadata). */
export function markdownSections(markdown: string): MarkdownSection[] {
  const out: MarkdownSection[] = [];
  let path: string[] = [];
  let current: MarkdownSection = { path: [], blocks: [] };
  for (const block of markdownBlocks(markdown)) {
    const heading = /^(#{1,6})\s+(.+?)\s*#*$/.exec(block);
    if (!heading) {
      current.blocks.push(block);
      continue;
    }
    if (current.blocks.length) out.push(current);
    const level = heading[1]!.length;
    if (level === 1) path = [];
    else path = [...path.slice(0, level - 2), heading[2]!];
    current = { path, blocks: [] };
  }
  if (current.blocks.length) out.push(current);
  return out;
}
