/** The console chat, driven through its input and output streams. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runConsole } from "../../src/channels/console.js";
import { testEngine } from "../support/assistant.js";

async function chat(lines: string[]): Promise<string> {
  const engine = await testEngine();
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const done = runConsole(engine, input, output);
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return text;
}

describe("console chat", () => {
  it("answers, follows up, shows sources, records feedback and finds similar projects", async () => {
    const out = await chat([
      "comment structurer un diagnostic partagé ?",
      "et qui doit y participer ?",
      "/sources",
      "/pasutile trop long",
      "/similar protection de l'enfance au Maroc",
      "/lang en",
      "/quit",
    ]);
    // The direct answer first: the diagnosis's steps in one sentence.
    expect(out).toMatch(/En \d+ étapes : cadrer le diagnostic/);
    expect(out).toMatch(/\[1\] .+ › /);
    expect(out).toMatch(/Merci, c'est noté/);
    expect(out).toMatch(/Meurthe-et-Moselle/);
    expect(out).toMatch(/I will answer in English/);
  });

  it("says plainly when the kit does not cover a question", async () => {
    const out = await chat(["What is the best recipe for apple pie?"]);
    expect(out).toMatch(/The TERRINCLUS kit does not cover this question/);
    // Nothing near an apple pie: no sheet suggested, the kit's field named in one line.
    expect(out).toMatch(/I only answer from the kit and the documented cooperations: diagnosis/);
    expect(out).not.toMatch(/Structuring a shared diagnosis/);
  });
});
