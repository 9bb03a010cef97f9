/**
 * Every exported function, class and arrow-function constant of src/ has a doc comment (a block comment opening
 * with two stars) right above it, decorators in between skipped: the rule of issue 12. The rule is first run on a
 * small source, so a scan of src/ that finds nothing is known to be able to find something.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "..", "src");

/** A declaration that needs a doc comment: an exported (async) function, (abstract) class, or `const name = (…) =>`. */
const DECLARATION = /^export (async )?(function|class|const [A-Za-z]+ = \(|abstract class)/;

/** The 1-based line numbers of the declarations of `source` without a doc comment directly above. */
function undocumented(source: string): number[] {
  const lines = source.split("\n");
  const missing: number[] = [];
  for (const [i, line] of lines.entries()) {
    if (!DECLARATION.test(line)) continue;
    let above = i - 1;
    while (above >= 0 && lines[above]!.trim().startsWith("@")) above--;
    // The comment ending right above must open with `/**`: a line comment or a plain `/* … */` is no doc comment.
    let start = above;
    while (start > 0 && !lines[start]!.includes("/*")) start--;
    const documented = above >= 0 && lines[above]!.trim().endsWith("*/") && lines[start]!.trimStart().startsWith("/**");
    if (!documented) missing.push(i + 1);
  }
  return missing;
}

describe("the doc-comment rule", () => {
  it("flags undocumented exports and accepts doc comments, multi-line ones and decorators in between", () => {
    const source = [
      "/** Documented. */",
      "export function documented(): void {}",
      "export function bare(): void {}",
      "// A line comment is not a doc comment.",
      "export async function lineCommented(): Promise<void> {}",
      "/* Nor is a plain block comment. */",
      "export class Plain {}",
      "/**",
      " * Documented on several lines.",
      " */",
      "@decorated()",
      "export abstract class Decorated {}",
      "export const arrow = (x: number) => x;",
      "export const value = 1;",
      "const local = () => 0;",
    ].join("\n");
    expect(undocumented(source)).toEqual([3, 5, 7, 13]);
  });
});

describe("src/", () => {
  it("has a doc comment above every exported function, class and arrow-function constant", () => {
    const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .sort();
    expect(files.length).toBeGreaterThan(50);
    const missing = files.flatMap((file) => undocumented(readFileSync(path.join(SRC, file), "utf8")).map((line) => `src/${file.split(path.sep).join("/")}:${line}`));
    expect(missing).toEqual([]);
  });
});
