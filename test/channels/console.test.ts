/** The console chat, driven through its input and output streams. */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { FileInsightStore, type InsightStore } from "../../src/answer/insights.js";
import { runConsole } from "../../src/channels/console.js";
import { testEngine } from "../support/assistant.js";

const PROMPT = "\n› ";

/** Runs the chat on these lines; returns what it printed for each line, in order (the banner left out). */
async function chat(lines: string[], insights?: InsightStore): Promise<string[]> {
  const engine = await testEngine({ insights });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const done = runConsole(engine, input, output);
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  // The chat prompts once before the first line and again after each line it handled (not after /quit).
  const [, ...replies] = text.split(PROMPT);
  return replies.map((reply) => reply.trim());
}

describe("console chat", () => {
  it("answers, follows up, shows sources, records feedback and finds similar projects", async () => {
    const insights = new FileInsightStore(await mkdtemp(path.join(os.tmpdir(), "terrinclus-console-")));
    const [answer, followUp, sources, feedback, similar, lang, sourcesInEnglish] = await chat(
      ["comment structurer un diagnostic partagé ?", "et qui doit y participer ?", "/sources", "/pasutile trop long", "/similar protection de l'enfance au Maroc", "/lang en", "/sources", "/quit"],
      insights,
    );
    // The direct answer first: the diagnosis's steps in one sentence, its short sources line last.
    expect(answer).toMatch(/^En \d+ étapes : cadrer le diagnostic/);
    expect(answer).toMatch(/^Sources : \[1\] Structurer un diagnostic partagé/m);
    // The follow-up is read in the conversation's context: the diagnosis sheet, or the one on mapping its actors.
    expect(followUp).toMatch(/^Sources : \[1\] (Structurer un diagnostic partagé|Cartographier les acteurs)/m);
    // /sources prints the last answer's references in full: whole title, section, and the link on the next line.
    expect(sources).toMatch(/^\[1\] Structurer un diagnostic partagé avec le territoire partenaire › \S.*\n {4}https:\/\/\S+$/m);
    expect(sources).not.toMatch(/^Sources :/m);
    expect(feedback).toBe("Merci, c'est noté.");
    const [recorded] = await insights.answersSince(0).then((all) => all.filter((a) => a.feedback));
    expect(recorded?.feedback).toMatchObject({ useful: false, comment: "trop long", channel: "console" });
    expect(similar).toMatch(/^1\. Meurthe-et-Moselle/);
    expect(lang).toBe("I will answer in English.");
    // After /lang en, the French sheet is marked as being in another language.
    expect(sourcesInEnglish).toMatch(/^\[1\] Structurer un diagnostic partagé avec le territoire partenaire › .+ \(fr\)$/m);
  });

  it("says plainly when the kit does not cover a question", async () => {
    const [out] = await chat(["What is the best recipe for apple pie?"]);
    expect(out).toMatch(/The TERRINCLUS kit does not cover this question/);
    // Nothing near an apple pie: no sheet suggested, the kit's field named in one line.
    expect(out).toMatch(/I only answer from the kit and the documented cooperations: diagnosis/);
    expect(out).not.toMatch(/Structuring a shared diagnosis/);
  });
});
