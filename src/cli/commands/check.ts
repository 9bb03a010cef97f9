/** `terrinclus check`: validates the knowledge base and prints what is wrong, file by file. */
import { checkKnowledge } from "../../knowledge/check.js";

/** Prints the knowledge base's problems grouped by file, or a summary when there is none; exit status 1 on a problem. */
export async function runCheck(dir: string, options: { json?: boolean }): Promise<number> {
  const report = await checkKnowledge(dir);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ files: report.files, ok: report.problems.length === 0, problems: report.problems })}\n`);
    return report.problems.length ? 1 : 0;
  }
  let current = "";
  for (const problem of report.problems) {
    if (problem.path !== current) {
      current = problem.path;
      process.stdout.write(`\n${current}\n`);
    }
    process.stdout.write(`  ✗ ${problem.message}\n`);
  }
  const kinds = countBy(report.documents.map((d) => `${d.meta.kind}/${d.meta.lang}`));
  const summary = Object.entries(kinds)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  process.stdout.write(
    report.problems.length ? `\n${report.problems.length} problem(s) in ${new Set(report.problems.map((p) => p.path)).size} file(s) out of ${report.files}.\n` : `Knowledge base OK: ${report.files} files (${summary}).\n`,
  );
  return report.problems.length ? 1 : 0;
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys.sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}
