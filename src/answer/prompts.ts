/** Prompt files in `prompts/`, one per task and language, with `{{name}}` placeholders. */
import { readFileSync } from "node:fs";
import type { Lang } from "../shared/lang.js";

const PROMPTS_DIR = new URL("../../prompts/", import.meta.url);
const cache = new Map<string, string>();

export type PromptName = "answer" | "rewrite";

/** The prompt file for a task and language (read once, then cached), placeholders filled; unknown ones become empty. */
export function renderPrompt(name: PromptName, lang: Lang, values: Record<string, string>): string {
  const file = `${name}.${lang}.md`;
  let template = cache.get(file);
  if (template === undefined) {
    template = readFileSync(new URL(file, PROMPTS_DIR), "utf8");
    cache.set(file, template);
  }
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "");
}
