import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { removeDir, runCli, tempDir } from "../fixtures/knowledge.js";

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = await tempDir("cli-similar-data");
  env = { INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir"), DATA_DIR: dataDir };
});
afterAll(async () => {
  await removeDir(dataDir);
});

interface SimilarJson {
  query: string;
  results: Array<{ id: string; title: string; country: string[]; themes: string[]; score: number; why: string }>;
}

function expectSimilarContract(result: SimilarJson): void {
  expect(Object.keys(result).sort()).toEqual(["query", "results"]);
  for (const r of result.results) {
    expect(Object.keys(r).sort()).toEqual(["country", "id", "score", "themes", "title", "why"]);
    expect(r).toEqual({ id: expect.any(String), title: expect.any(String), country: expect.any(Array), themes: expect.any(Array), score: expect.any(Number), why: expect.any(String) });
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(1);
    for (const code of r.country) expect(code).toMatch(/^[A-Z]{2}$/);
  }
  for (let i = 1; i < result.results.length; i++) expect(result.results[i]!.score).toBeLessThanOrEqual(result.results[i - 1]!.score);
}

function parseLines(stdout: string): SimilarJson[] {
  expect(stdout.endsWith("\n")).toBe(true);
  return stdout
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as SimilarJson);
}

/** Exits non-zero with `message` on stderr, nothing on stdout and no stack trace. */
function expectCleanFailure(run: { code: number | null; stdout: string; stderr: string }, message: string): void {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
}

describe("terrinclus similar --json", () => {
  it("gives the query and the closest cases, best first, with why they match", async () => {
    const { code, stdout, stderr } = await runCli(["similar", "projet de protection de l'enfance au Maroc", "--json"], { env });
    expect(code, stderr).toBe(0);
    const [result, ...rest] = parseLines(stdout);
    expect(rest).toEqual([]);
    expectSimilarContract(result!);
    expect(result!.query).toBe("projet de protection de l'enfance au Maroc");
    expect(result!.results.length).toBeGreaterThan(1);
    expect(result!.results.length).toBeLessThanOrEqual(5);
    expect(result!.results[0]).toMatchObject({ id: "meurthe-et-moselle-sidi-kacem", country: ["MA"] });
    expect(result!.results[0]!.themes).toContain("child-protection");
    expect(result!.results[0]!.why).toMatch(/même pays: Maroc/);
  });

  it("keeps only the cases of a country given by name, and honours --limit", async () => {
    const { code, stdout } = await runCli(["similar", "formation des travailleurs sociaux", "--country", "Maroc", "--limit", "1", "--json"], { env });
    expect(code).toBe(0);
    const [result] = parseLines(stdout);
    expectSimilarContract(result!);
    expect(result!.results).toHaveLength(1);
    expect(result!.results[0]!.country).toContain("MA");
  });

  it("reads one description per line on standard input, in order, with a theme filter", async () => {
    const queries = ["eau potable et assainissement dans des villages", "health of mothers and children", "protection de l'enfance"];
    const { code, stdout } = await runCli(["similar", "--theme", "water and sanitation", "--country", "vn"], { env, input: `${queries.join("\n")}\n\n` });
    expect(code).toBe(0);
    const results = parseLines(stdout);
    expect(results.map((r) => r.query)).toEqual(queries);
    for (const result of results) {
      expectSimilarContract(result);
      for (const r of result.results) {
        expect(r.themes).toContain("water-sanitation");
        expect(r.country).toContain("VN");
      }
    }
    expect(results[0]!.results[0]?.id).toBe("val-de-marne-yen-bai");
    expect(results[1]!.results[0]?.why).toMatch(/shared themes: health/);
  });

  it("rejects an unknown country with a clear message and no stack trace", async () => {
    expectCleanFailure(await runCli(["similar", "water", "--country", "Atlantis", "--json"], { env }), 'unknown country "Atlantis"');
  });

  it("rejects a two-letter code that is no country", async () => {
    expectCleanFailure(await runCli(["similar", "water", "--country", "ZZ", "--json"], { env }), 'unknown country "ZZ"');
  });

  it("rejects an unknown theme", async () => {
    expectCleanFailure(await runCli(["similar", "water", "--theme", "cuisine", "--json"], { env }), 'unknown theme "cuisine"');
  });
});
