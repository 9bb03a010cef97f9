/** The questions load runs send: every evaluation set (`test/eval/*.yaml` and the natural sets), French and English. */
import { readdir, readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";

export interface MixQuestion {
  text: string;
  lang: "fr" | "en";
}

const Item = z.union([z.object({ q: z.string().min(1), lang: z.enum(["fr", "en"]) }), z.object({ turns: z.array(z.string().min(1)).min(1), lang: z.enum(["fr", "en"]) })]);

const EVAL_DIR = new URL("../test/eval/", import.meta.url);

/** Every question of every evaluation file, in a stable order (follow-ups: each turn, in order). */
export async function evaluationQuestions(): Promise<MixQuestion[]> {
  const files = [...(await yamlFiles(EVAL_DIR)), ...(await yamlFiles(new URL("tuning/", EVAL_DIR))), ...(await yamlFiles(new URL("heldout/", EVAL_DIR)))];
  const questions: MixQuestion[] = [];
  for (const file of files) {
    const items = z.array(Item).parse(YAML.parse(await readFile(file, "utf8")));
    for (const item of items) for (const text of "q" in item ? [item.q] : item.turns) questions.push({ text, lang: item.lang });
  }
  return questions;
}

async function yamlFiles(dir: URL): Promise<URL[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => new URL(f, dir));
}
