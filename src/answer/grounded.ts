/** Checks a generated answer against what was retrieved: only cited passage numbers that exist are kept. */
import type { Chunk } from "../retrieval/chunk.js";
import { toBlocks } from "./blocks.js";
import type { Block, Citation } from "./reply.js";

const MARKER = /\s*\[(\d+(?:\s*,\s*\d+)*)\]/g;

export interface GroundedText {
  lead: string;
  leadCites: number[];
  body: Block[];
  citations: Citation[];
  /** Numbers the model cited that match no passage. */
  invalid: number[];
}

/** Splits model Markdown into blocks, moves [n] markers into each block's `cites`, renumbers citations 1..k. */
export function groundAnswer(markdown: string, passages: Chunk[], cite: (passage: Chunk, n: number) => Citation): GroundedText {
  const invalid = new Set<number>();
  const used: number[] = [];
  const renumber = new Map<number, number>();
  const blocks: Block[] = [];
  for (const part of markdown.trim().split(/\n{2,}/)) {
    const numbers = [...part.matchAll(MARKER)].flatMap((m) => m[1]!.split(",").map((n) => Number(n.trim())));
    const cites: number[] = [];
    for (const n of numbers) {
      if (n < 1 || n > passages.length) {
        invalid.add(n);
        continue;
      }
      if (!renumber.has(n)) {
        used.push(n);
        renumber.set(n, used.length);
      }
      if (!cites.includes(renumber.get(n)!)) cites.push(renumber.get(n)!);
    }
    blocks.push(...toBlocks(part.replace(MARKER, ""), cites));
  }
  const first = blocks[0];
  const lead = first?.type === "paragraph" ? first.spans.map((s) => s.text).join("") : "";
  const citations = used.map((n, i) => cite(passages[n - 1]!, i + 1));
  return { lead, leadCites: lead ? first!.cites : [], body: lead ? blocks.slice(1) : blocks, citations, invalid: [...invalid] };
}
