/** Generative answers through LangChain's chat model for any OpenAI-compatible endpoint. */
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { ChatOpenAI } from "@langchain/openai";
import type { Lang } from "../shared/lang.js";
import { indexedText } from "../retrieval/chunk.js";
import type { SearchResult } from "../retrieval/knowledge-index.js";
import type { Logger } from "../shared/logger.js";
import type { ConversationTurn } from "./conversation.js";
import { answerActions, composeRefusal, rankedSources, type Draft } from "./extractive.js";
import type { Generator } from "./generator.js";
import { citationOf } from "./citation.js";
import { groundAnswer } from "./grounded.js";
import { renderPrompt } from "./prompts.js";
import { plain } from "./reply.js";
import { phrase } from "../shared/texts.js";
import type { KnowledgeIndex } from "../retrieval/knowledge-index.js";

/** Passages given to the model: enough to answer, few enough to stay grounded. */
const PASSAGES = 5;
/** A rewrite is one short line; past this deadline the question is searched as written. */
const REWRITE_TIMEOUT_MS = 8000;
const MAX_REWRITE_CHARS = 400;

export interface OpenAIGeneratorOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  index: () => KnowledgeIndex;
  logger?: Logger;
}

/** A chat model that answers from the retrieved passages (its citations checked against them) and rewrites questions in the kit's terms. */
export class OpenAIGenerator implements Generator {
  private chat: Promise<ChatOpenAI> | undefined;

  constructor(private readonly options: OpenAIGeneratorOptions) {}

  /** The chat model, its client loaded on first use: a bot that never calls the model does not hold it in memory. */
  private model(): Promise<ChatOpenAI> {
    this.chat ??= import("@langchain/openai").then(
      ({ ChatOpenAI }) =>
        new ChatOpenAI({
          model: this.options.model,
          apiKey: this.options.apiKey ?? "not-needed",
          configuration: { baseURL: this.options.baseURL },
          temperature: 0.2,
          streaming: true,
          maxRetries: 0,
          timeout: this.options.timeoutMs,
        }),
    );
    return this.chat;
  }

  async answer(search: SearchResult, lang: Lang): Promise<Draft> {
    const passages = search.hits.slice(0, PASSAGES).map((h) => h.chunk);
    const numbered = passages.map((c, i) => `[${i + 1}] ${indexedText(c)}`).join("\n\n");
    const text = await this.complete(renderPrompt("answer", lang, { passages: numbered }), search.query, this.options.timeoutMs);
    if (/^\s*NO_ANSWER\b/.test(text)) return composeRefusal(this.options.index(), search);

    const grounded = groundAnswer(text, passages, (passage, n) => citationOf(this.options.index(), passage, n));
    if (grounded.invalid.length) this.options.logger?.warn({ invalid: grounded.invalid }, "model cited passages that were not retrieved");
    const notes = [...(search.partial ? [phrase("partial", lang)] : []), ...(grounded.citations.length ? [] : [phrase("unsourced", lang)])];
    return {
      question: search.query,
      lang,
      answered: true,
      mode: "generative",
      lead: plain(grounded.lead),
      leadCites: grounded.leadCites,
      body: grounded.body,
      citations: grounded.citations,
      sources: rankedSources(search),
      suggestions: [],
      actions: answerActions(this.options.index(), passages[0]!, [], false),
      notes,
    };
  }

  async rewrite(turns: ConversationTurn[], question: string, lang: Lang): Promise<string> {
    const history =
      turns
        .slice(-3)
        .map((t) => `- ${t.standalone}`)
        .join("\n") || "—";
    const topics = kitTopics(this.options.index(), lang);
    const text = await this.complete(renderPrompt("rewrite", lang, { history, question, topics }), question, Math.min(this.options.timeoutMs, REWRITE_TIMEOUT_MS));
    return usableRewrite(text) ?? question;
  }

  /** Streams the completion and returns the whole text; aborts at the deadline. */
  private async complete(system: string, question: string, timeoutMs: number): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    let text = "";
    const stream = await (await this.model()).stream([new SystemMessage(system), new HumanMessage(question)], { signal });
    for await (const chunk of stream) text += typeof chunk.content === "string" ? chunk.content : "";
    return text;
  }
}

/** The titles of the kit's sheets in a language, for the rewrite prompt. */
function kitTopics(index: KnowledgeIndex, lang: Lang): string {
  const titles = index
    .documents()
    .filter((d) => d.kind === "kit" && d.lang === lang)
    .map((d) => d.title);
  return [...new Set(titles)].join("; ");
}

/** The first line of a rewrite, without quotes or a "Question:" label; undefined when it is not a question to search. */
function usableRewrite(text: string): string | undefined {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean);
  const cleaned = line
    ?.replace(/^(question( réécrite| reformulée)?|rewritten question)\s*:\s*/i, "")
    .replace(/^["«“]\s*|\s*["»”]$/g, "")
    .trim();
  if (!cleaned || cleaned.length > MAX_REWRITE_CHARS || /NO_ANSWER|\[\d+\]/.test(cleaned)) return undefined;
  return cleaned;
}
