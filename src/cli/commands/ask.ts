/** `terrinclus ask`: one question (readable or --json), or a batch of questions on standard input. */
import type { AnswerEngine } from "../../answer/engine.js";
import type { Reply } from "../../answer/reply.js";
import { ANSI, PLAIN, answerText, replyToText } from "../../answer/render-text.js";
import type { Lang } from "../../shared/lang.js";
import { forEachInputLine, writeJson } from "../io.js";

export interface AskOptions {
  lang?: Lang;
  json?: boolean;
  conversation?: string;
}

/** The stable JSON contract of `ask --json`. */
function askJson(reply: Reply) {
  return {
    question: reply.question,
    lang: reply.lang,
    answered: reply.answered,
    answer: answerText(reply),
    sources: reply.sources,
    answerId: reply.answerId,
    citations: reply.citations,
    suggestions: reply.suggestions,
  };
}

/** Answers one question (readable text, or JSON with `--json`), or without one each line of standard input as JSON; exit status 0. */
export async function runAsk(engine: AnswerEngine, question: string | undefined, options: AskOptions): Promise<number> {
  const ask = (q: string) => engine.ask({ question: q, lang: options.lang, conversationId: options.conversation, channel: "cli" });
  if (question === undefined) {
    await forEachInputLine(async (line) => askJson(await ask(line)));
    return 0;
  }
  const reply = await ask(question);
  if (options.json) writeJson(askJson(reply));
  else process.stdout.write(`${replyToText(reply, process.stdout.isTTY ? ANSI : PLAIN)}\n`);
  return 0;
}
