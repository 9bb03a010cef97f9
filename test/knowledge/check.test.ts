import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { checkKnowledge, SHEET_WORDS, type Problem } from "../../src/knowledge/check.js";
import { glossary, knowledgeTree, pair, removeDir, sheet, type Files } from "../fixtures/knowledge.js";

/** A valid bilingual base: one kit sheet, one case, a glossary pointing at the sheet. */
const BASE: Files = {
  ...pair({ id: "alpha", meta: { related: ["beta"] } }),
  ...pair({ id: "beta", kind: "case", meta: { related: ["alpha"] } }),
  "glossary.yaml": glossary([
    { concept: "steering-committee", fr: ["comité de pilotage"], en: ["steering committee"], sheet: "alpha" },
    { concept: "shared-diagnosis", fr: ["diagnostic partagé"], en: ["shared diagnosis"] },
  ]),
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

/** Checks BASE with some files replaced or added. */
async function check(changes: Files) {
  const dir = await knowledgeTree("check", { ...BASE, ...changes });
  dirs.push(dir);
  return checkKnowledge(dir);
}

/** The problems reported for one file. */
function about(problems: Problem[], path: string): Problem[] {
  return problems.filter((p) => p.path === path);
}

describe("checkKnowledge on the shipped knowledge base", () => {
  it("reports no problem and reads every sheet and case", async () => {
    const report = await checkKnowledge(inject("knowledgeDir"));
    expect(report.problems).toEqual([]);
    expect(report.files).toBeGreaterThan(40);
    // Every document, plus the glossary.
    expect(report.files).toBe(report.documents.length + 1);
    const kinds = new Set(report.documents.map((d) => `${d.meta.kind}/${d.meta.lang}`));
    expect(kinds).toEqual(new Set(["kit/fr", "kit/en", "case/fr", "case/en"]));
  });
});

describe("checkKnowledge on broken fixtures", () => {
  it("accepts the valid fixture base (so every problem below comes from the broken file)", async () => {
    const report = await check({});
    expect(report.problems).toEqual([]);
    expect(report.files).toBe(5);
  });

  it("reports a Markdown file without front matter", async () => {
    const report = await check({ "kit/gamma.fr.md": "# Gamma\n\nNo front matter here.\n" });
    expect(about(report.problems, "kit/gamma.fr.md")).toEqual([{ path: "kit/gamma.fr.md", field: "front matter", message: expect.stringMatching(/missing YAML front matter/) }]);
  });

  it("reports invalid YAML in the front matter", async () => {
    const report = await check({ "kit/alpha.fr.md": "---\nid: alpha\nlang: [fr\ntitle: x\n---\n\n# Alpha\n" });
    const problem = about(report.problems, "kit/alpha.fr.md")[0];
    expect(problem).toMatchObject({ field: "front matter" });
    expect(problem?.message).toMatch(/^invalid YAML: /);
    expect(problem?.message).not.toContain("\n");
  });

  it.each([
    ["lang: de", { lang: "de" }, "lang", /lang: .*"fr".*"en"/],
    ["an unknown kind", { kind: "guide" }, "kind", /kind: .*kit.*case.*document/],
    ["a source without url, via or note", { sources: [{ title: "A source without link" }] }, "sources.0", /a source needs a url, a via \(mirror\) or a note/],
    ["a missing title", { title: undefined }, "title", /^title: /],
    ["a too short summary", { summary: "short" }, "summary", /^summary: /],
    ["an id that is not kebab-case", { id: "Alpha_Sheet" }, "id", /must be lowercase kebab-case/],
    ["an unknown field", { author: "someone" }, "(front matter)", /author/],
  ])("reports %s in a kit sheet with its field", async (_label, meta, field, message) => {
    const report = await check({ "kit/alpha.fr.md": sheet({ id: "alpha", lang: "fr", meta }) });
    const problems = about(report.problems, "kit/alpha.fr.md");
    expect(problems[0]).toMatchObject({ path: "kit/alpha.fr.md", field });
    expect(problems[0]?.message).toMatch(message);
  });

  it.each([
    ["an unknown country code", { country: ["XX"] }, "country.0", /ISO 3166-1 alpha-2/],
    ["a three-letter country code", { country: ["MAR"] }, "country.0", /ISO 3166-1 alpha-2/],
    ["a lowercase country code", { country: ["ma"] }, "country.0", /ISO 3166-1 alpha-2/],
    ["an unknown theme", { themes: ["cooking"] }, "themes.0", /themes\.0: .*child-protection/],
    ["a missing partner", { partner: undefined }, "partner", /^partner: /],
    ["an unknown status", { status: "pilot" }, "status", /^status: /],
    ["years ending before they start", { years: { from: 2015, to: 2010 } }, "years", /years.to must not be before years.from/],
  ])("reports %s in a case with its field", async (_label, meta, field, message) => {
    const report = await check({ "cases/beta.fr.md": sheet({ id: "beta", lang: "fr", kind: "case", meta }) });
    const problems = about(report.problems, "cases/beta.fr.md");
    expect(problems[0]).toMatchObject({ path: "cases/beta.fr.md", field });
    expect(problems[0]?.message).toMatch(message);
  });

  it("reports a file name that does not match the id and language", async () => {
    const report = await check({ "kit/alpha.fr.md": sheet({ id: "alpha", lang: "en" }), "kit/alpha.en.md": sheet({ id: "alpha", lang: "fr" }) });
    expect(about(report.problems, "kit/alpha.fr.md")).toContainEqual({ path: "kit/alpha.fr.md", field: "id", message: 'file name should be alpha.en.md (id "alpha", lang "en")' });
    expect(about(report.problems, "kit/alpha.en.md")).toContainEqual({ path: "kit/alpha.en.md", field: "id", message: 'file name should be alpha.fr.md (id "alpha", lang "fr")' });
  });

  it("reports a duplicate id, naming both files", async () => {
    const report = await check({ "kit/copy/alpha.fr.md": sheet({ id: "alpha", lang: "fr" }) });
    expect(report.problems).toEqual([{ path: "kit/copy/alpha.fr.md", field: "id", message: 'id "alpha" in fr is already used by kit/alpha.fr.md' }]);
  });

  it("reports a sheet that exists in one language only", async () => {
    const report = await check({ "kit/gamma.fr.md": sheet({ id: "gamma", lang: "fr" }) });
    expect(report.problems).toEqual([{ path: "kit/gamma.fr.md", field: "lang", message: 'missing translation: "gamma" has no en version' }]);
  });

  it("reports a broken relative link but accepts links that resolve, anchors and URLs", async () => {
    const body = [
      "# Alpha",
      "",
      "## Links",
      "",
      "See [the case](../cases/beta.fr.md), [the other language](alpha.en.md#in-short), [a section](#links), [a site](https://example.org/x) and [a mail](mailto:a@example.org).",
      "",
      "Also [a missing sheet](absente.fr.md) and [a missing case](../cases/nowhere.fr.md#top).",
      "",
      "word ".repeat(SHEET_WORDS.min),
    ].join("\n");
    const report = await check({ "kit/alpha.fr.md": sheet({ id: "alpha", lang: "fr", body }) });
    expect(report.problems).toEqual([
      { path: "kit/alpha.fr.md", field: "body", message: "broken link to absente.fr.md" },
      { path: "kit/alpha.fr.md", field: "body", message: "broken link to ../cases/nowhere.fr.md#top" },
    ]);
  });

  it("reports a related id that is not any document", async () => {
    const report = await check({ "cases/beta.en.md": sheet({ id: "beta", lang: "en", kind: "case", meta: { related: ["alpha", "nowhere"] } }) });
    expect(report.problems).toEqual([{ path: "cases/beta.en.md", field: "related", message: 'related "nowhere" is not the id of any document' }]);
  });

  it("reports kit sheets that are too short or too long, with their word count", async () => {
    const report = await check({
      "kit/alpha.fr.md": sheet({ id: "alpha", lang: "fr", words: 100 }),
      "kit/alpha.en.md": sheet({ id: "alpha", lang: "en", words: SHEET_WORDS.max + 300 }),
    });
    const short = about(report.problems, "kit/alpha.fr.md");
    const long = about(report.problems, "kit/alpha.en.md");
    expect(short).toHaveLength(1);
    expect(short[0]).toMatchObject({ field: "body", message: expect.stringMatching(/^sheet has 10\d words; expected 400 to 1200$/) });
    expect(long).toHaveLength(1);
    expect(long[0]).toMatchObject({ field: "body", message: expect.stringMatching(/^sheet has 15\d\d words; expected 400 to 1200$/) });
  });

  it("does not apply the sheet length to cases", async () => {
    const report = await check({ "cases/beta.fr.md": sheet({ id: "beta", lang: "fr", kind: "case", words: 30 }) });
    expect(report.problems).toEqual([]);
  });

  it("reports a glossary wording shared by two concepts, whatever its case and accents", async () => {
    const report = await check({
      "glossary.yaml": glossary([
        { concept: "steering-committee", fr: ["comité de pilotage"], en: ["steering committee"] },
        { concept: "board", fr: ["Comite de Pilotage"], en: ["board"] },
      ]),
    });
    expect(report.problems).toEqual([{ path: "glossary.yaml", field: "terms.board", message: '"Comite de Pilotage" is also a wording of "steering-committee"' }]);
  });

  it("reports a glossary concept whose sheet does not exist", async () => {
    const report = await check({
      "glossary.yaml": glossary([{ concept: "steering-committee", fr: ["comité de pilotage"], en: ["steering committee"], sheet: "nowhere" }]),
    });
    expect(report.problems).toEqual([{ path: "glossary.yaml", field: "terms.steering-committee.sheet", message: 'sheet "nowhere" does not exist' }]);
  });

  it("reports a concept listed twice and an invalid glossary", async () => {
    const twice = await check({
      "glossary.yaml": glossary([
        { concept: "steering-committee", fr: ["comité de pilotage"], en: ["steering committee"] },
        { concept: "steering-committee", fr: ["copil"], en: ["steering board"] },
      ]),
    });
    expect(twice.problems).toContainEqual({ path: "glossary.yaml", field: "terms", message: 'concept "steering-committee" appears twice' });

    const invalid = await check({ "glossary.yaml": glossary([{ concept: "steering-committee", fr: [], en: ["steering committee"] }]) });
    expect(invalid.problems).toEqual([{ path: "glossary.yaml", field: "terms.0.fr", message: expect.stringMatching(/^terms\.0\.fr: /) }]);

    const yaml = await check({ "glossary.yaml": "terms: [\n" });
    expect(yaml.problems).toEqual([{ path: "glossary.yaml", message: expect.stringMatching(/^invalid YAML: /) }]);
  });

  it("counts the glossary among the files checked only when there is one", async () => {
    const { "glossary.yaml": _glossary, ...withoutGlossary } = BASE;
    const dir = await knowledgeTree("check", withoutGlossary);
    dirs.push(dir);
    const report = await checkKnowledge(dir);
    expect(report.problems).toEqual([]);
    expect(report.files).toBe(4);
  });

  it("keeps checking the other files when one is broken, and sorts problems by file", async () => {
    const report = await check({
      "kit/alpha.fr.md": sheet({ id: "alpha", lang: "fr", meta: { lang: "de" } }),
      "cases/beta.fr.md": sheet({ id: "beta", lang: "fr", kind: "case", meta: { related: ["nowhere"] } }),
    });
    expect(report.files).toBe(5);
    expect(report.documents.map((d) => d.path).sort()).toEqual(["cases/beta.en.md", "cases/beta.fr.md", "kit/alpha.en.md"]);
    expect(about(report.problems, "kit/alpha.fr.md")[0]).toMatchObject({ field: "lang" });
    expect(about(report.problems, "cases/beta.fr.md")[0]).toMatchObject({ field: "related" });
    const paths = report.problems.map((p) => p.path);
    expect(paths).toEqual([...paths].sort((a, b) => a.localeCompare(b)));
  });
});
