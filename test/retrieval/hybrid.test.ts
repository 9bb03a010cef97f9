import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGlossary, loadGlossary } from "../../src/knowledge/glossary.js";
import { ingest } from "../../src/retrieval/ingest.js";
import { KnowledgeIndex, type SearchResult } from "../../src/retrieval/knowledge-index.js";
import { sharedIndex, testEngine } from "../support/assistant.js";
import { knowledgeTree, removeDir, tempDir } from "../fixtures/knowledge.js";
import { smallCorpus } from "../fixtures/small-corpus.js";

let shared: KnowledgeIndex;
beforeAll(async () => {
  shared = await sharedIndex();
});

const docIds = (result: SearchResult) => [...new Set(result.hits.map((h) => h.chunk.docId))];

describe("hybrid retrieval on the shipped knowledge base", () => {
  it.each([
    ["how do I structure a partner diagnosis?", "diagnostic-partage", "en"],
    ["comment constituer un comité de pilotage ?", "gouvernance-pilotage", "fr"],
    ["What is FICOL?", "financements", "en"],
    ["Quels indicateurs choisir pour suivre un projet de coopération ?", "indicateurs", "fr"],
    ["Which legal article allows a Département to sign a cooperation agreement abroad?", "cadre-juridique", "en"],
  ])("%s → %s", async (question, expected, lang) => {
    const result = await shared.search(question);
    expect(result.lang).toBe(lang);
    expect(result.hits[0]?.chunk.docId).toBe(expected);
    expect(result.answered).toBe(true);
  });

  it("returns hits best first, with scores relative to the best possible", async () => {
    const result = await shared.search("comment constituer un comité de pilotage ?");
    expect(result.hits.length).toBeGreaterThan(3);
    expect(result.hits.length).toBeLessThanOrEqual(8);
    for (let i = 1; i < result.hits.length; i++) expect(result.hits[i]!.score).toBeLessThanOrEqual(result.hits[i - 1]!.score);
    for (const hit of result.hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
    expect((await shared.search("comité de pilotage", { limit: 3 })).hits).toHaveLength(3);
  });

  it("restricts results with a kind and country filter: only Moroccan cases", async () => {
    const moroccan = new Set(
      shared
        .documents()
        .filter((d) => d.kind === "case" && d.country?.includes("MA"))
        .map((d) => d.docId),
    );
    expect(moroccan.size).toBeGreaterThan(1);
    for (const question of ["protection de l'enfance et formation des travailleurs sociaux", "How was the evaluation co-built with the partner?"]) {
      const result = await shared.search(question, { filter: { kind: "case", country: "MA" } });
      expect(result.hits.length).toBeGreaterThan(0);
      for (const hit of result.hits) {
        expect(hit.chunk.kind).toBe("case");
        expect(hit.chunk.country).toContain("MA");
        expect(moroccan.has(hit.chunk.docId)).toBe(true);
      }
    }
    const lower = await shared.search("child protection", { filter: { kind: "case", country: "ma" } });
    expect(lower.hits.length).toBeGreaterThan(0);
    expect(lower.hits.every((h) => h.chunk.country?.includes("MA"))).toBe(true);
  });

  it("restricts results by kind, language and theme", async () => {
    const kit = await shared.search("coopération protection de l'enfance au Maroc", { filter: { kind: "kit" } });
    expect(kit.hits.length).toBeGreaterThan(0);
    expect(kit.hits.every((h) => h.chunk.kind === "kit")).toBe(true);

    const english = await shared.search("comment constituer un comité de pilotage ?", { filter: { lang: "en" } });
    expect(english.hits.length).toBeGreaterThan(0);
    expect(english.hits.every((h) => h.chunk.lang === "en")).toBe(true);
    expect(english.hits[0]?.chunk.docId).toBe("gouvernance-pilotage");

    const water = await shared.search("projects with children and families", { filter: { theme: "water-sanitation" } });
    expect(water.hits.length).toBeGreaterThan(0);
    expect(water.hits.every((h) => h.chunk.themes?.includes("water-sanitation"))).toBe(true);

    const both = await shared.search("protection de l'enfance", { filter: { kind: ["kit", "case"] } });
    expect(new Set(both.hits.map((h) => h.chunk.kind))).toEqual(new Set(["kit", "case"]));

    const nothing = await shared.search("comité de pilotage", { filter: { kind: "case", country: "JP" } });
    expect(nothing.hits).toEqual([]);
    expect(nothing.answered).toBe(false);
  });

  it("prefers passages in the question's language", async () => {
    const english = await shared.search("how do I structure a partner diagnosis?");
    expect(english.hits.length).toBeGreaterThan(3);
    expect(english.hits.every((h) => h.chunk.lang === "en")).toBe(true);

    const french = await shared.search("comment structurer un diagnostic partagé avec le partenaire ?");
    expect(french.hits.every((h) => h.chunk.lang === "fr")).toBe(true);
    expect(french.hits[0]?.chunk.docId).toBe("diagnostic-partage");

    const preferred = await shared.search("how do I structure a partner diagnosis?", { prefer: "fr" });
    expect(preferred.hits[0]?.chunk).toMatchObject({ docId: "diagnostic-partage", lang: "fr" });
  });

  it.each([
    "How do I cook a mushroom risotto?",
    "Quelle est la recette de la tarte aux pommes ?",
    "Who won the football world cup in 2018?",
    "Quel est le score du match de rugby d'hier soir ?",
    "How do I install Python and configure a virtual environment on Windows?",
    "What is the best JavaScript framework for web apps?",
  ])("abstains on an out-of-domain question: %s", async (question) => {
    const result = await shared.search(question);
    expect(result.answered).toBe(false);
  });

  it("answers in-domain questions with enough coverage", async () => {
    for (const question of ["How do I structure a partner diagnosis?", "comment constituer un comité de pilotage ?", "Quels financements pour une coopération décentralisée ?"]) {
      const result = await shared.search(question);
      expect(result.answered, question).toBe(true);
      expect(result.domainShare).toBeGreaterThanOrEqual(shared.thresholds.minDomainShare);
    }
  });

  it("answers a question that is only a glossary wording, in its language", async () => {
    for (const [question, lang] of [
      ["partner diagnosis", "en"],
      ["diagnostic partagé", "fr"],
    ] as const) {
      const result = await shared.search(question);
      expect(result.lang, question).toBe(lang);
      expect(result.hits[0]?.chunk).toMatchObject({ docId: "diagnostic-partage", lang });
      expect(result.answered, question).toBe(true);
    }
  });
});

describe("retrieval through the answer engine", () => {
  it("cites English passages for an English question and French ones for a French question", async () => {
    const engine = await testEngine();
    const english = await engine.ask({ question: "how do I structure a partner diagnosis?", channel: "test" });
    expect(english).toMatchObject({ lang: "en", answered: true });
    expect(english.sources[0]).toMatchObject({ id: "diagnostic-partage", lang: "en" });
    expect(english.citations.every((c) => c.lang === "en")).toBe(true);
    const french = await engine.ask({ question: "comment constituer un comité de pilotage ?", channel: "test" });
    expect(french.sources[0]).toMatchObject({ id: "gouvernance-pilotage", lang: "fr" });
  });

  it("refuses out-of-domain questions, suggesting at most three sheets", async () => {
    const engine = await testEngine();
    for (const question of ["How do I cook a mushroom risotto?", "Qui a gagné la coupe du monde de football ?", "How do I fix a segmentation fault in my C++ program?"]) {
      const reply = await engine.ask({ question, channel: "test" });
      expect(reply.answered, question).toBe(false);
      expect(reply.mode).toBe("refusal");
      expect(reply.citations).toEqual([]);
      expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    }
  });
});

describe("hybrid retrieval on a small temporary index", () => {
  let knowledgeDir: string;
  let indexDir: string;
  let index: KnowledgeIndex;

  beforeAll(async () => {
    knowledgeDir = await knowledgeTree("hybrid", smallCorpus());
    indexDir = await tempDir("hybrid-index");
    const result = await ingest({ knowledgeDir, indexDir, embeddings: { provider: "local" } });
    expect(result.errors).toEqual([]);
    const glossary = await loadGlossary(knowledgeDir);
    if (!isGlossary(glossary)) throw new Error(glossary.message);
    index = await KnowledgeIndex.load(indexDir, { provider: "local" }, glossary);
  });
  afterAll(async () => {
    await removeDir(knowledgeDir);
    await removeDir(indexDir);
  });

  it("finds a French-only document for an English question", async () => {
    expect(index.languagesOf("evaluation-croisee")).toEqual(["fr"]);
    const result = await index.search("What is a peer review?");
    expect(result.lang).toBe("en");
    expect(result.hits[0]?.chunk).toMatchObject({ docId: "evaluation-croisee", lang: "fr" });

    // In a longer question, other-language passages are ranked below the question's language, but still found.
    const longer = await index.search("How do we organise a peer review of our project?");
    expect(docIds(longer).slice(0, 3)).toContain("evaluation-croisee");
    const best = [...longer.hits].sort((a, b) => b.similarity - a.similarity)[0];
    expect(best?.chunk.docId).toBe("evaluation-croisee");
  });

  it("prefers the English twin of a bilingual document for an English question", async () => {
    const result = await index.search("Who sits on the steering committee?");
    expect(result.hits[0]?.chunk).toMatchObject({ docId: "pilotage", lang: "en" });
    const ids = result.hits.map((h) => h.chunk.chunkId);
    for (const id of ids.filter((i) => i.startsWith("pilotage."))) expect(id).toMatch(/^pilotage\.en#/);

    const french = await index.search("Qui siège au comité de pilotage ?");
    expect(french.hits[0]?.chunk).toMatchObject({ docId: "pilotage", lang: "fr" });
  });

  it("filters the small index by country and theme", async () => {
    const senegal = await index.search("water and children", { filter: { country: "SN" } });
    expect(docIds(senegal)).toEqual(["podor"]);
    const morocco = await index.search("training educators", { filter: { kind: "case", country: "MA" } });
    expect(docIds(morocco)).toEqual(["kenitra"]);
    const theme = await index.search("committee", { filter: { theme: "water-sanitation" } });
    expect(docIds(theme)).toEqual(["podor"]);
  });

  it("drops the French-only document when English passages are required", async () => {
    const result = await index.search("How do we organise a peer review of our project?", { filter: { lang: "en" } });
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.every((h) => h.chunk.lang === "en")).toBe(true);
    expect(docIds(result)).not.toContain("evaluation-croisee");
  });
});
