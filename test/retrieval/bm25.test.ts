import { describe, expect, it } from "vitest";
import { Analyzer } from "../../src/retrieval/analyzer.js";
import { Bm25Index, type Bm25Data } from "../../src/retrieval/bm25.js";
import { ConceptMatcher } from "../../src/retrieval/concepts.js";

const analyzer = new Analyzer(new ConceptMatcher({ terms: [{ concept: "steering-committee", fr: ["comité de pilotage"], en: ["steering committee"] }] }));

const DOCS: Array<{ id: string; text: string; lang: "fr" | "en" }> = [
  { id: "pilotage", lang: "fr", text: "Le comité de pilotage réunit les élus des deux collectivités une fois par an." },
  { id: "evaluation", lang: "fr", text: "L'ÉVALUATION finale mesure les effets du projet ; l'évaluation est co-construite." },
  { id: "budget", lang: "fr", text: "Le budget prévisionnel répartit les financements entre les partenaires." },
  { id: "water", lang: "en", text: "Drinking water and sanitation in rural villages, with a borehole mechanic." },
  { id: "steering", lang: "en", text: "The steering committee validates the action plan and the budget." },
  { id: "russe", lang: "fr", text: "Комитет по управлению проектом собирается раз в год." },
  { id: "arabe", lang: "fr", text: "لجنة التسيير تجتمع مرة في السنة لتقييم المشروع" },
];

function build(docs = DOCS): Bm25Index {
  return Bm25Index.build(docs.map((d) => ({ id: d.id, terms: analyzer.analyze(d.text, d.lang).terms })));
}

const query = (index: Bm25Index, text: string, lang?: "fr" | "en", k = 10) => index.search(analyzer.analyze(text, lang).terms, k);

describe("BM25", () => {
  it("ranks the document holding the query terms first, and leaves out documents without them", () => {
    const index = build();
    const hits = query(index, "budget prévisionnel", "fr");
    expect(hits[0]?.id).toBe("budget");
    expect(hits.map((h) => h.id)).not.toContain("water");
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });

  it("ranks higher the document where a rare term appears more often", () => {
    const index = Bm25Index.build([
      { id: "once", terms: ["puits", "village", "eau", "ecole"] },
      { id: "twice", terms: ["puits", "puits", "village", "eau"] },
      { id: "none", terms: ["village", "eau", "ecole", "route"] },
    ]);
    expect(index.search(["puits"], 3).map((h) => h.id)).toEqual(["twice", "once"]);
  });

  it("is case and accent insensitive through the analyzer", () => {
    const index = build();
    for (const q of ["evaluation", "ÉVALUATION", "Évaluation", "l'evaluation"]) {
      expect(query(index, q, "fr")[0]?.id).toBe("evaluation");
    }
    const a = query(index, "EVALUATION FINALE", "fr");
    const b = query(index, "évaluation finale", "fr");
    expect(a).toEqual(b);
  });

  it("matches a glossary concept across languages", () => {
    const index = build();
    const ids = query(index, "steering committee", "en").map((h) => h.id);
    expect(ids.slice(0, 2).sort()).toEqual(["pilotage", "steering"]);
  });

  it("returns finite scores and no NaN on non-Latin text", () => {
    const index = build();
    for (const [text, id] of [
      ["Комитет по управлению", "russe"],
      ["لجنة التسيير", "arabe"],
    ] as const) {
      const hits = query(index, text);
      expect(hits[0]?.id).toBe(id);
      for (const h of hits) {
        expect(Number.isFinite(h.score)).toBe(true);
        expect(h.score).toBeGreaterThan(0);
        expect(h.coverage).toBeGreaterThanOrEqual(0);
        expect(h.coverage).toBeLessThanOrEqual(1);
      }
    }
    const cjk = query(index, "指导委员会");
    expect(cjk.every((h) => Number.isFinite(h.score) && Number.isFinite(h.coverage))).toBe(true);
  });

  it("handles empty queries, unknown terms and an empty index without NaN", () => {
    const index = build();
    expect(index.search([], 5)).toEqual([]);
    expect(index.search(["zzzunknown"], 5)).toEqual([]);
    const empty = Bm25Index.build([]);
    expect(empty.size).toBe(0);
    expect(empty.search(["budget"], 5)).toEqual([]);
    expect(Number.isFinite(empty.idf("budget"))).toBe(true);
    const blank = Bm25Index.build([
      { id: "blank", terms: [] },
      { id: "one", terms: ["puits"] },
    ]);
    expect(blank.search(["puits"], 5)).toEqual([{ id: "one", score: expect.any(Number), coverage: 1 }]);
    expect(Number.isFinite(blank.search(["puits"], 5)[0]!.score)).toBe(true);
  });

  it("gives coverage in [0, 1]: the share of the query's weight a document holds", () => {
    const index = build();
    const hits = query(index, "comité de pilotage budget sanitation", "fr");
    expect(hits.length).toBeGreaterThan(1);
    for (const h of hits) {
      expect(h.coverage).toBeGreaterThan(0);
      expect(h.coverage).toBeLessThanOrEqual(1);
    }
    const full = query(index, "budget prévisionnel", "fr")[0]!;
    expect(full.coverage).toBeCloseTo(1, 10);
  });

  it("respects the result limit and the accept filter", () => {
    const index = build();
    const terms = analyzer.analyze("comité de pilotage budget", "fr").terms;
    expect(index.search(terms, 1)).toHaveLength(1);
    const accepted = index.search(terms, 10, (id) => id !== "budget");
    expect(accepted.map((h) => h.id)).not.toContain("budget");
    expect(accepted.length).toBeGreaterThan(0);
  });

  it("gives the same results after a JSON round trip", () => {
    const index = build();
    const restored = Bm25Index.fromJSON(JSON.parse(JSON.stringify(index)) as Bm25Data);
    expect(restored.size).toBe(index.size);
    for (const [q, lang] of [
      ["comité de pilotage", "fr"],
      ["steering committee budget", "en"],
      ["évaluation finale", "fr"],
      ["Комитет", undefined],
    ] as const) {
      expect(query(restored, q, lang)).toEqual(query(index, q, lang));
    }
    expect(restored.toJSON()).toEqual(index.toJSON());
  });
});
