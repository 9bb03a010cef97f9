/** The console channel: an interactive chat in a terminal, rendering the same replies as the bots. */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import type { AnswerEngine } from "../answer/engine.js";
import { ANSI, PLAIN, replyToText } from "../answer/render-text.js";
import { countryName, type Lang } from "../knowledge/vocabulary.js";

const HELP: Record<Lang, string> = {
  fr: "Posez une question sur le kit TERRINCLUS. Commandes : /similar <description>, /sources, /utile, /pasutile [commentaire], /lang fr|en, /quit",
  en: "Ask a question about the TERRINCLUS kit. Commands: /similar <description>, /sources, /useful, /notuseful [comment], /lang fr|en, /quit",
};

export async function runConsole(engine: AnswerEngine, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const interactive = Boolean((output as NodeJS.WriteStream).isTTY);
  const style = interactive ? ANSI : PLAIN;
  const conversationId = `console-${randomUUID()}`;
  const rl = createInterface({ input, output, terminal: interactive });
  let lang: Lang = "fr";
  let lastAnswerId: string | undefined;
  const say = (text: string) => output.write(text + "\n");
  say(`TERRINCLUS — ${HELP.fr}\n${HELP.en}`);
  rl.setPrompt("\n› ");
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (!line) {
        // nothing to do
      } else if (/^\/(quit|exit|q)$/i.test(line)) break;
      else if (/^\/(help|aide|start)$/i.test(line)) say(HELP[lang]);
      else if (/^\/lang\b/i.test(line)) {
        const wanted = line.split(/\s+/)[1]?.toLowerCase();
        if (wanted === "fr" || wanted === "en") {
          lang = wanted;
          await engine.setLanguage(conversationId, wanted);
          say(wanted === "fr" ? "Je répondrai en français." : "I will answer in English.");
        } else say("/lang fr | /lang en");
      } else if (/^\/sources$/i.test(line)) {
        const citations = await engine.lastCitations(conversationId);
        say(citations.length ? citations.map((c) => `[${c.n}] ${c.title}${c.section ? ` › ${c.section}` : ""}${c.url ? `\n    ${c.url}` : ""}`).join("\n") : lang === "fr" ? "Pas encore de sources." : "No sources yet.");
      } else if (/^\/(utile|useful|pasutile|notuseful)\b/i.test(line)) {
        const useful = /^\/(utile|useful)\b/i.test(line);
        const comment = line.replace(/^\/\S+\s*/, "");
        const ok = lastAnswerId ? await engine.feedback(lastAnswerId, useful, "console", comment || undefined) : false;
        say(ok ? (lang === "fr" ? "Merci, c'est noté." : "Thanks, noted.") : lang === "fr" ? "Aucune réponse à évaluer." : "No answer to rate.");
      } else if (/^\/similar\b/i.test(line)) {
        const description = line.replace(/^\/similar\s*/i, "");
        const result = await engine.similar(description, { lang: description ? undefined : lang });
        say(
          result.results.length
            ? result.results.map((r, i) => `${i + 1}. ${r.title} (${r.country.map((c) => countryName(c, result.lang)).join(", ")})\n   ${r.why}`).join("\n")
            : result.lang === "fr" ? "Aucune coopération documentée ne correspond." : "No documented cooperation matches.",
        );
      } else {
        const reply = await engine.ask({ question: line, conversationId, channel: "console" });
        lang = reply.lang;
        lastAnswerId = reply.answerId;
        say(replyToText(reply, style));
      }
    } catch (error) {
      say(lang === "fr" ? `Désolé, une erreur est survenue : ${(error as Error).message}` : `Sorry, something went wrong: ${(error as Error).message}`);
    }
    rl.prompt();
  }
  rl.close();
}
