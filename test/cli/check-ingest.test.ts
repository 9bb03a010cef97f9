import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { readManifest } from "../../src/retrieval/manifest.js";
import { FIXTURES_DIR, knowledgeTree, removeDir, runCli, sheet, tempDir } from "../fixtures/knowledge.js";
import { smallCorpus } from "../fixtures/small-corpus.js";

const BROKEN = path.join(FIXTURES_DIR, "knowledge-broken");
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

/** No stack trace: no "    at file:line" frames and no Node error banner. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[:(]\d+/m);
  expect(text).not.toMatch(/node:internal|Error: .*\n\s+at /);
}

describe("terrinclus check", () => {
  it("exits 0 on the shipped knowledge base", async () => {
    const { code, stdout, stderr } = await runCli(["check", "--dir", inject("knowledgeDir")]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Knowledge base OK: \d+ files \(\d+ case\/en, \d+ case\/fr, \d+ kit\/en, \d+ kit\/fr\)\.\n$/);
  });

  it("exits 1 on a broken tree and lists each problem under its file", async () => {
    const { code, stdout } = await runCli(["check", "--dir", BROKEN]);
    expect(code).toBe(1);
    const section = (file: string) => stdout.split(/\n(?=\S)/).find((s) => s.startsWith(`${file}\n`)) ?? "";
    expect(section("kit/sans-front-matter.fr.md")).toContain("✗ missing YAML front matter");
    expect(section("cases/kenitra.fr.md")).toContain("✗ country.0: must be an ISO 3166-1 alpha-2 country code");
    expect(section("cases/podor.en.md")).toMatch(/✗ lang: .*"fr".*"en"/);
    expect(section("cases/kenitra.en.md")).toContain('✗ related "sans-traduction" is not the id of any document');
    expect(section("glossary.yaml")).toContain('✗ sheet "protection-enfance" does not exist');
    expect(stdout).toMatch(/\n6 problem\(s\) in 5 file\(s\) out of 5\.\n$/);
    expectNoStack(stdout);
  });

  it("checks KNOWLEDGE_DIR when no --dir is given, and gives one JSON object with --json", async () => {
    const { code, stdout } = await runCli(["check", "--json"], { env: { KNOWLEDGE_DIR: BROKEN } });
    expect(code).toBe(1);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(stdout) as { files: number; ok: boolean; problems: Array<{ path: string; field?: string; message: string }> };
    expect(report.ok).toBe(false);
    expect(report.files).toBe(5);
    expect(report.problems).toHaveLength(6);
    expect(report.problems).toContainEqual({ path: "cases/kenitra.fr.md", field: "country.0", message: "country.0: must be an ISO 3166-1 alpha-2 country code" });
    expect(report.problems).toContainEqual({ path: "kit/sans-front-matter.fr.md", field: "front matter", message: expect.stringContaining("missing YAML front matter") });
  });

  it("fails cleanly on a directory that does not exist", async () => {
    const { code, stdout, stderr } = await runCli(["check", "--dir", path.join(BROKEN, "nowhere")]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^terrinclus: .*nowhere/);
    expectNoStack(stderr);
  });
});

describe("terrinclus ingest", () => {
  const badFile = { "kit/broken.fr.md": sheet({ id: "broken", lang: "fr", meta: { lang: "de" } }) };

  it("with --strict and a bad file: exits 1, names the file and writes no index", async () => {
    const knowledgeDir = await knowledgeTree("cli-strict", { ...smallCorpus(), ...badFile });
    const root = await tempDir("cli-strict-out");
    dirs.push(knowledgeDir, root);
    const out = path.join(root, "index");
    const { code, stdout, stderr } = await runCli(["ingest", "--dir", knowledgeDir, "--out", out, "--strict"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("✗ kit/broken.fr.md: lang: ");
    expect(stderr).toContain("Strict mode: 1 invalid file(s), index not written.");
    expectNoStack(stderr);
    expect(await readdir(root)).toEqual([]);
  });

  it("without --strict: exits 2 and indexes the good files", async () => {
    const knowledgeDir = await knowledgeTree("cli-lenient", { ...smallCorpus(), ...badFile });
    const out = await tempDir("cli-lenient-out");
    dirs.push(knowledgeDir, out);
    const { code, stdout, stderr } = await runCli(["ingest", "--dir", knowledgeDir, "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toContain("✗ kit/broken.fr.md: lang: ");
    expect(stdout).toMatch(/^Indexed 9 files into \d+ passages \(\d+ embedded\)/);
    expect(stdout).toContain("1 file(s) skipped");
    const manifest = await readManifest(out);
    expect(manifest?.files.map((f) => f.path).sort()).toEqual(
      Object.keys(smallCorpus())
        .filter((f) => f.endsWith(".md"))
        .sort(),
    );
    expect(manifest?.errors.map((e) => e.path)).toEqual(["kit/broken.fr.md"]);
  });

  it("prints one JSON object with --json, and reports the index up to date on the second run", async () => {
    const knowledgeDir = await knowledgeTree("cli-json", smallCorpus());
    const out = await tempDir("cli-json-out");
    dirs.push(knowledgeDir, out);
    const env = { KNOWLEDGE_DIR: knowledgeDir, INDEX_DIR: out };
    const first = await runCli(["ingest", "--json"], { env });
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split("\n")).toHaveLength(1);
    const result = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["chunks", "embedded", "errors", "files", "indexDir", "seconds", "written"]);
    expect(result).toMatchObject({ written: true, files: 9, errors: [], indexDir: out });
    expect(result.chunks).toEqual(expect.any(Number));
    expect(result.embedded).toBe(result.chunks);
    expect(result.seconds).toEqual(expect.any(Number));

    const second = await runCli(["ingest"], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`Index up to date in ${out}: 9 files, ${result.chunks} passages; nothing re-embedded.\n`);
  });
});
