/**
 * Natural-question evaluation: chatty, misspelled and everyday questions, two-turn follow-ups and
 * out-of-scope questions, each set in a tuning part (`tuning/`) and a held-out part (`heldout/`).
 */
import { readFile, readdir } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";
import { MemoryConversationStore } from "../../src/answer/conversation.js";
import { AnswerEngine } from "../../src/answer/engine.js";
import { FileInsightStore } from "../../src/answer/insights.js";
import { detectIntent } from "../../src/answer/intent.js";
import type { Generator } from "../../src/answer/generator.js";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";

export const SETS = ["chatty", "misspelled", "everyday", "followups", "out-of-scope"] as const;
export type SetName = (typeof SETS)[number];
export type Part = "tuning" | "heldout";

const Single = z.object({ q: z.string(), lang: z.enum(["fr", "en"]), expect: z.array(z.string()), shares: z.string().optional() });
const FollowUp = z.object({ turns: z.array(z.string()).length(2), lang: z.enum(["fr", "en"]), expect: z.array(z.string()).min(1), intent: z.string() });
export type SingleItem = z.infer<typeof Single>;
export type FollowUpItem = z.infer<typeof FollowUp>;

const here = new URL("./", import.meta.url);

/** Every file of a set in a part (`heldout/chatty.fr.yaml` and `.en.yaml`, or `tuning/chatty.yaml`). */
export async function loadSet(part: Part, set: SetName): Promise<Array<SingleItem | FollowUpItem>> {
  const dir = new URL(`${part}/`, here);
  const files = (await readdir(dir)).filter((f) => f === `${set}.yaml` || f.startsWith(`${set}.`)).sort();
  const items: Array<SingleItem | FollowUpItem> = [];
  for (const file of files) {
    const parsed = YAML.parse(await readFile(new URL(file, dir), "utf8")) as unknown;
    items.push(...z.array(set === "followups" ? FollowUp : Single).parse(parsed));
  }
  return items;
}

export interface Miss {
  q: string;
  expect: string[];
  got: string[];
  answered: boolean;
  intent?: { expected: string; got: string };
}

export interface SetScore {
  set: SetName;
  part: Part;
  n: number;
  /** In-domain sets: right document first and answered; follow-ups: that and the intent; out of scope: refused. */
  score: number;
  /** In-domain questions refused. */
  falseRefusals: number;
  misses: Miss[];
}

/** Scores one set with a fresh engine over `index` (conversations in memory, insights in `dataDir`). */
export async function scoreSet(index: KnowledgeIndex, part: Part, set: SetName, dataDir: string, generator?: Generator): Promise<SetScore> {
  const engine = new AnswerEngine({ index, conversations: new MemoryConversationStore(3600), insights: new FileInsightStore(dataDir), generator });
  const items = await loadSet(part, set);
  let good = 0;
  let falseRefusals = 0;
  const misses: Miss[] = [];
  for (const [i, item] of items.entries()) {
    if ("turns" in item) {
      const conversationId = `eval-${part}-${i}`;
      await engine.ask({ question: item.turns[0]!, conversationId, channel: "eval" });
      const reply = await engine.ask({ question: item.turns[1]!, conversationId, channel: "eval" });
      const got = reply.citations.map((c) => c.id);
      const intent = detectIntent(item.turns[1]!);
      const ok = reply.answered && item.expect.includes(got[0] ?? "") && intent === item.intent;
      if (!reply.answered) falseRefusals++;
      if (ok) good++;
      else misses.push({ q: item.turns.join(" → "), expect: item.expect, got, answered: reply.answered, intent: { expected: item.intent, got: intent } });
      continue;
    }
    const reply = await engine.ask({ question: item.q, channel: "eval" });
    const got = reply.citations.map((c) => c.id);
    const inDomain = item.expect.length > 0;
    const ok = inDomain ? reply.answered && item.expect.includes(got[0] ?? "") : !reply.answered;
    if (inDomain && !reply.answered) falseRefusals++;
    if (ok) good++;
    else misses.push({ q: item.q, expect: item.expect, got, answered: reply.answered });
  }
  return { set, part, n: items.length, score: items.length ? good / items.length : 0, falseRefusals, misses };
}
