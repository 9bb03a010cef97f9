/** `terrinclus report`: the questions the kit fails to answer, most frequent first. */
import ms from "ms";
import { z } from "zod";
import type { AnswerEngine } from "../../answer/engine.js";
import type { QuestionHome } from "../../answer/report.js";

const SinceSchema = z
  .string()
  .regex(/^\d+\s*(m|h|d|w|y)$/i, "use a duration such as 30d, 12h or 2w")
  .transform((s) => ms(s.replace(/\s+/g, "") as ms.StringValue));

/** Prints the first `limit` groups of unanswered or badly rated questions since `--since`, each with where to answer it; 1 on a bad duration. */
export async function runReport(engine: AnswerEngine, options: { since: string; json?: boolean; limit: number }): Promise<number> {
  const since = SinceSchema.safeParse(options.since);
  if (!since.success) {
    process.stderr.write(`--since: ${since.error.issues[0]!.message}\n`);
    return 1;
  }
  const gaps = await engine.coverageGaps(Date.now() - since.data);
  const groups = gaps.groups.slice(0, options.limit);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ since: options.since, answers: gaps.answers, groups })}\n`);
    return 0;
  }
  process.stdout.write(`${gaps.answers} answers since ${options.since}; ${groups.length} group(s) of unanswered or badly rated questions.\n`);
  groups.forEach((g, i) => {
    process.stdout.write(`\n${i + 1}. ×${g.count} (refused ${g.refused}, not useful ${g.notUseful}) [${g.langs.join(", ")}]\n`);
    for (const q of g.questions) process.stdout.write(`   – ${q}\n`);
    for (const c of g.comments.slice(0, 3)) process.stdout.write(`   comment: ${c}\n`);
    process.stdout.write(g.home ? homeSuggestion(g.home, g.questions[0]!) : "   → no sheet is near: outside the kit's field, or a subject for a new sheet\n");
  });
  return 0;
}

/** The front-matter lines to add so the document answers this wording from now on. */
function homeSuggestion(home: QuestionHome, question: string): string {
  const section = home.section ? `\n       section: ${JSON.stringify(home.section)}` : "";
  return `   → add to the questions of ${home.path} (then \`terrinclus check\` and \`terrinclus ingest\`):\n     - q: ${JSON.stringify(question)}${section}\n`;
}
