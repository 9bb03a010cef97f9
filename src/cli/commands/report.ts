/** `terrinclus report`: the questions the kit fails to answer, most frequent first. */
import ms from "ms";
import { z } from "zod";
import type { AnswerEngine } from "../../answer/engine.js";
import { coverageGaps } from "../../answer/report.js";

export const SinceSchema = z
  .string()
  .regex(/^\d+\s*(m|h|d|w|y)$/i, "use a duration such as 30d, 12h or 2w")
  .transform((s) => ms(s.replace(/\s+/g, "") as ms.StringValue));

export async function runReport(engine: AnswerEngine, options: { since: string; json?: boolean; limit: number }): Promise<number> {
  const since = SinceSchema.safeParse(options.since);
  if (!since.success) {
    process.stderr.write(`--since: ${since.error.issues[0]!.message}\n`);
    return 1;
  }
  const answers = await engine.insights.answersSince(Date.now() - since.data);
  const groups = coverageGaps(answers).slice(0, options.limit);
  if (options.json) {
    process.stdout.write(JSON.stringify({ since: options.since, answers: answers.length, groups }) + "\n");
    return 0;
  }
  process.stdout.write(`${answers.length} answers since ${options.since}; ${groups.length} group(s) of unanswered or badly rated questions.\n`);
  groups.forEach((g, i) => {
    process.stdout.write(`\n${i + 1}. ×${g.count} (refused ${g.refused}, not useful ${g.notUseful}) [${g.langs.join(", ")}]\n`);
    for (const q of g.questions) process.stdout.write(`   – ${q}\n`);
    for (const c of g.comments.slice(0, 3)) process.stdout.write(`   comment: ${c}\n`);
  });
  return 0;
}
