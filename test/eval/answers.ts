/**
 * Answer-quality evaluation (`answers` sets): does the reply quote the expected section, does it open with the
 * expected fact, and how long is it in a chat. Tuning part in `tuning/answers.yaml`, held-out part in
 * `heldout/answers.{fr,en}.yaml` (questions written from titles, summaries and headings only; facts annotated
 * afterwards from the documents).
 */
import { readFile, readdir } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import { MemoryConversationStore } from "../../src/answer/conversation.js";
import { AnswerEngine } from "../../src/answer/engine.js";
import { FileInsightStore } from "../../src/answer/insights.js";
import { spansText, type Reply } from "../../src/answer/reply.js";
import { renderReply } from "../../src/channels/telegram/render.js";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { fold } from "../../src/shared/text.js";
import type { Part } from "./natural.js";

const AnswerItem = z.object({
  q: z.string(),
  lang: z.enum(["fr", "en"]),
  expect: z.array(z.string()).min(1),
  section: z.string(),
  intent: z.string(),
  /** Any one of these, found in the answer's first two sentences, is the direct answer. */
  fact: z.array(z.string()).optional(),
});
export type AnswerItem = z.infer<typeof AnswerItem>;

const here = new URL("./", import.meta.url);

export async function loadAnswers(part: Part): Promise<AnswerItem[]> {
  const dir = new URL(`${part}/`, here);
  const files = (await readdir(dir)).filter((f) => f === "answers.yaml" || f.startsWith("answers.")).sort();
  const items: AnswerItem[] = [];
  for (const file of files) items.push(...z.array(AnswerItem).parse(YAML.parse(await readFile(new URL(file, dir), "utf8"))));
  return items;
}

export interface AnswerScore {
  n: number;
  /** The expected section (or one of its subsections) is among those quoted, from the expected document. */
  sectionHit: number;
  /** Share of fact-annotated questions whose answer opens (first two sentences) with the fact. */
  directAnswer: number;
  annotated: number;
  /** Visible characters of the Telegram rendering, answers and refusals apart. */
  chatLengths: number[];
  refusalLengths: number[];
  misses: Array<{ q: string; expected: string; got: string[]; opening: string }>;
}

export async function scoreAnswers(index: KnowledgeIndex, part: Part, dataDir: string): Promise<AnswerScore> {
  const engine = new AnswerEngine({ index, conversations: new MemoryConversationStore(3600), insights: new FileInsightStore(dataDir) });
  const items = await loadAnswers(part);
  let sections = 0;
  let direct = 0;
  let annotated = 0;
  const chatLengths: number[] = [];
  const refusalLengths: number[] = [];
  const misses: AnswerScore["misses"] = [];
  for (const item of items) {
    const reply = await engine.ask({ question: item.q, channel: "eval" });
    (reply.answered ? chatLengths : refusalLengths).push(chatLength(reply));
    const quoted = reply.citations.filter((c) => item.expect.includes(c.id)).map((c) => c.section);
    // A label names a section or a subsection: "Vulnérabilité" is "Ce que dit TERRINCLUS › Vulnérabilité".
    const label = fold(item.section);
    const hit = quoted.some((s) =>
      fold(s)
        .split(" › ")
        .some((_, i, parts) => parts.slice(i).join(" › ").startsWith(label) && (parts.slice(i).join(" › ") === label || parts.slice(i).join(" › ").startsWith(`${label} › `))),
    );
    if (hit) sections++;
    const opening = firstSentences(reply);
    if (item.fact?.length) {
      annotated++;
      if (item.fact.some((f) => fold(opening).includes(fold(f)))) direct++;
    }
    if (!hit) misses.push({ q: item.q, expected: `${item.expect[0]} › ${item.section}`, got: reply.citations.map((c) => `${c.id} › ${c.section}`), opening });
  }
  return {
    n: items.length,
    sectionHit: sections / Math.max(1, items.length),
    directAnswer: direct / Math.max(1, annotated),
    annotated,
    chatLengths: chatLengths.sort((a, b) => a - b),
    refusalLengths: refusalLengths.sort((a, b) => a - b),
    misses,
  };
}

/** The reply's first two sentences: its lead, then the body's first sentence when the lead is one sentence. */
function firstSentences(reply: Reply): string {
  const body = reply.body.map((b) => ("items" in b ? b.items.map(spansText).join(" ") : spansText(b.spans))).join(" ");
  const text = `${spansText(reply.lead)} ${body}`;
  const sentences = [...new Intl.Segmenter(reply.lang, { granularity: "sentence" }).segment(text)].map((s) => s.segment);
  return sentences.slice(0, 2).join("");
}

/** What a Telegram user sees, in characters (all parts, markup removed). */
function chatLength(reply: Reply): number {
  return renderReply(reply).reduce((n, html) => n + html.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, "x").length, 0);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
