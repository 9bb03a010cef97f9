/** `terrinclus similar`: case studies close to a project description, with why they match. */
import type { AnswerEngine } from "../../answer/engine.js";
import { similarToText } from "../../answer/render-text.js";
import type { Lang } from "../../shared/lang.js";
import type { SimilarResult } from "../../retrieval/similar.js";
import { forEachInputLine, writeJson } from "../io.js";

export interface SimilarCommandOptions {
  country?: string;
  theme?: string;
  lang?: Lang;
  json?: boolean;
  limit?: number;
}

/** The stable JSON contract of `similar --json`. */
function similarJson(result: SimilarResult) {
  return {
    query: result.query,
    results: result.results.map((r) => ({ id: r.id, title: r.title, country: r.country, themes: r.themes, score: r.score, why: r.why })),
  };
}

/** Ranks cooperations for one description (readable text, or JSON with `--json`), or without one for each line of standard input as JSON; exit status 0. */
export async function runSimilar(engine: AnswerEngine, description: string | undefined, options: SimilarCommandOptions): Promise<number> {
  const find = (q: string) => engine.similar(q, options);
  if (description === undefined) {
    await forEachInputLine(async (line) => similarJson(await find(line)));
    return 0;
  }
  const result = await find(description);
  if (options.json) {
    writeJson(similarJson(result));
    return 0;
  }
  process.stdout.write(`${similarToText(result)}\n`);
  return 0;
}
