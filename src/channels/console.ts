/** The console channel: an interactive chat in a terminal, rendering the same replies as the bots. */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import type { AnswerEngine } from "../answer/engine.js";
import { ANSI, PLAIN, citationsToText, replyToText, similarToText } from "../answer/render-text.js";
import type { Reply } from "../answer/reply.js";
import type { Lang } from "../shared/lang.js";
import { CONSOLE_HELP } from "../shared/texts.js";
import { text } from "../shared/texts.js";

/** The reply's actions as the console's commands, on one line. */
function actionsLine(reply: Reply): string {
  const shown = reply.actions.flatMap((a) => (a.type === "more" ? ["/more"] : a.type === "section" ? [`/section ${a.index + 1} (${a.label})`] : []));
  return shown.join(" · ");
}

/** Runs the chat on `input` until /quit or the end of input: each line is a question or a command, answered on `output` (styled on a terminal). */
export async function runConsole(engine: AnswerEngine, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const interactive = Boolean((output as NodeJS.WriteStream).isTTY);
  const style = interactive ? ANSI : PLAIN;
  const conversationId = `console-${randomUUID()}`;
  const rl = createInterface({ input, output, terminal: interactive });
  let lang: Lang = "fr";
  let lastAnswerId: string | undefined;
  const say = (text: string) => output.write(`${text}\n`);
  say(`TERRINCLUS — ${CONSOLE_HELP.fr}\n${CONSOLE_HELP.en}`);
  rl.setPrompt("\n› ");
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (!line) {
        // nothing to do
      } else if (/^\/(quit|exit|q)$/i.test(line)) break;
      else if (/^\/(help|aide|start)$/i.test(line)) say(CONSOLE_HELP[lang]);
      else if (/^\/lang\b/i.test(line)) {
        const wanted = line.split(/\s+/)[1]?.toLowerCase();
        if (wanted === "fr" || wanted === "en") {
          lang = wanted;
          await engine.setLanguage(conversationId, wanted);
          say(text("langSet", wanted));
        } else say(text("langUsage", lang));
      } else if (/^\/sources$/i.test(line)) {
        const citations = await engine.lastCitations(conversationId);
        say(citations.length ? citationsToText(citations, lang) : text("noSources", lang));
      } else if (/^\/(more|plus|suite)$/i.test(line) || /^\/section\s+\d+$/i.test(line)) {
        const number = Number(line.split(/\s+/)[1] ?? 0);
        const reply = !lastAnswerId ? undefined : number ? await engine.section(lastAnswerId, number - 1) : await engine.more(lastAnswerId);
        say(reply ? replyToText(reply, style) : text("nothingMore", lang));
      } else if (/^\/(utile|useful|pasutile|notuseful)\b/i.test(line)) {
        const useful = /^\/(utile|useful)\b/i.test(line);
        const comment = line.replace(/^\/\S+\s*/, "");
        const ok = lastAnswerId ? await engine.feedback(lastAnswerId, useful, "console", comment || undefined) : false;
        say(text(ok ? "thanks" : "nothingToRate", lang));
      } else if (/^\/similar\b/i.test(line)) {
        const description = line.replace(/^\/similar\s*/i, "");
        const result = await engine.similar(description, { lang: description ? undefined : lang });
        say(similarToText(result));
      } else {
        const reply = await engine.ask({ question: line, conversationId, channel: "console" });
        lang = reply.lang;
        lastAnswerId = reply.answerId;
        say(replyToText(reply, style));
        const actions = actionsLine(reply);
        if (actions) say(style.dim(actions));
      }
    } catch (error) {
      say(`${text("error", lang)} (${(error as Error).message})`);
    }
    rl.prompt();
  }
  rl.close();
}
