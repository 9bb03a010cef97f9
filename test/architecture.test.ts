/**
 * The import arrows of .dependency-cruiser.cjs hold on src/, and a wrong import fails them: the same
 * configuration is run over a small tree that breaks each rule once.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(ROOT, "node_modules", ".bin", "depcruise");

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs dependency-cruiser with the project's configuration on `src/` of `cwd`; returns the violations as "rule: from → to". */
async function violations(cwd: string): Promise<string[]> {
  const run = await promisify(execFile)(DEPCRUISE, ["src", "--config", CONFIG, "--output-type", "json"], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    // Exit status 1 with the report on standard output: some rule was broken.
    (error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw new Error(`depcruise failed: ${error.stderr}`);
      return { stdout: error.stdout };
    },
  );
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  // A package is named by its name, wherever node_modules lies.
  const target = (to: string) => to.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1");
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${target(v.to)}`).sort();
}

/** Files of a miniature src/, each importing what its comment says. */
const WRONG_TREE: Record<string, string> = {
  "src/cli/main.ts": 'import "../channels/bot.js";\nimport "../reminders/worker.js";\nimport "../shared/texts.js";\n',
  "src/knowledge/schema.ts": "export interface Source { title: string }\n",
  "src/retrieval/index.ts": 'import type { Source } from "../knowledge/schema.js";\nexport const sources: Source[] = [];\n',
  "src/answer/reply.ts": 'import { sources } from "../retrieval/index.js";\nexport interface Reply { text: string }\nexport const first = sources[0];\n',
  // Against the arrows, type-only: the knowledge layer reaching up for the answer's type.
  "src/knowledge/loader.ts": 'import type { Reply } from "../answer/reply.js";\nexport const empty: Reply[] = [];\n',
  "src/channels/bot.ts": 'import { first } from "../answer/reply.js";\nimport { empty } from "../knowledge/loader.js";\nexport const bot = [first, empty];\n',
  // Against the arrows: reminders calling a channel instead of the Notifier interface.
  "src/reminders/worker.ts": 'import { bot } from "../channels/bot.js";\nexport const worker = bot;\n',
  // Against the arrows: shared reaching into a feature folder.
  "src/shared/texts.ts": 'import { first } from "../answer/reply.js";\nexport const texts = [first];\n',
  // A cycle.
  "src/shared/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
  "src/shared/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
  // A devDependency in shipped code.
  "src/shared/test-only.ts": 'import { expect } from "vitest";\nimport { a } from "./a.js";\nexport const check = () => expect(a).toBeDefined();\n',
  // Imported by nothing.
  "src/retrieval/forgotten.ts": "export const forgotten = 1;\n",
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("import arrows", () => {
  it("hold on the project's src/", async () => {
    expect(await violations(ROOT)).toEqual([]);
  });

  it("fail on imports against them, cycles, devDependencies in src/ and orphans", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-arrows-"));
    dirs.push(dir);
    for (const [file, text] of Object.entries(WRONG_TREE)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    // The project's manifest (which packages are devDependencies), compiler settings and installed packages.
    await copyFile(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    await copyFile(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");

    const found = await violations(dir);
    expect(found).toEqual(
      [
        "knowledge-not-to-retrieval-answer-channels-cli-reminders: src/knowledge/loader.ts → src/answer/reply.ts",
        "reminders-not-to-channels-cli: src/reminders/worker.ts → src/channels/bot.ts",
        "shared-not-to-knowledge-retrieval-answer-channels-cli-reminders: src/shared/texts.ts → src/answer/reply.ts",
        "no-circular: src/shared/a.ts → src/shared/b.ts",
        "not-to-dev-dep: src/shared/test-only.ts → vitest",
        "no-orphans: src/retrieval/forgotten.ts → src/retrieval/forgotten.ts",
      ].sort(),
    );
  });
});
