import { beforeAll, describe, expect, inject, it } from "vitest";
import { isGlossary, loadGlossary } from "../../src/knowledge/glossary.js";
import type { Glossary } from "../../src/knowledge/schema.js";
import { Analyzer } from "../../src/retrieval/analyzer.js";
import { ConceptMatcher } from "../../src/retrieval/concepts.js";
import { createEmbeddingModel } from "../../src/retrieval/embedding-model.js";
import { LocalEmbeddings } from "../../src/retrieval/local-embeddings.js";

const CORPUS = [
  "Le diagnostic partagé se construit avec le territoire partenaire avant toute décision.",
  "The steering committee brings together elected officials of both authorities once a year.",
  "L'évaluation finale du projet de coopération mesure les effets sur les publics vulnérables.",
  "Funding comes from the ministry's call for projects and from AFD's FICOL facility.",
  "La protection de l'enfance au Maroc : formation des éducateurs et accueil des enfants.",
  "Capitalisation turns the experience of a cooperation into knowledge others can reuse.",
];

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

let glossary: Glossary;
let analyzer: Analyzer;
let embeddings: LocalEmbeddings;

beforeAll(async () => {
  const loaded = await loadGlossary(inject("knowledgeDir"));
  if (!isGlossary(loaded)) throw new Error(loaded.message);
  glossary = loaded;
  analyzer = new Analyzer(new ConceptMatcher(glossary));
  embeddings = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, CORPUS));
});

describe("LocalEmbeddings", () => {
  it("is deterministic across instances and across fits of the same corpus", async () => {
    const fitA = LocalEmbeddings.fit(analyzer, CORPUS);
    const fitB = LocalEmbeddings.fit(new Analyzer(new ConceptMatcher(glossary)), [...CORPUS]);
    expect(fitB).toEqual(fitA);
    const a = new LocalEmbeddings(analyzer, fitA);
    const b = new LocalEmbeddings(new Analyzer(new ConceptMatcher(glossary)), fitB);
    expect(b.fingerprint).toBe(a.fingerprint);
    const texts = ["comment constituer un comité de pilotage ?", "What is FICOL?", CORPUS[0]!];
    expect(await b.embedDocuments(texts)).toEqual(await a.embedDocuments(texts));
    expect(await a.embedQuery(texts[0]!)).toEqual(a.embed(texts[0]!));
    expect(a.embed(texts[1]!)).toEqual(a.embed(texts[1]!));
  });

  it("changes its fingerprint when the corpus or the dimension changes", () => {
    const base = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, CORPUS));
    const other = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, CORPUS.slice(1)));
    const smaller = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, CORPUS, 256));
    expect(new Set([base.fingerprint, other.fingerprint, smaller.fingerprint]).size).toBe(3);
  });

  it("gives unit vectors of a fixed dimension", async () => {
    const vectors = await embeddings.embedDocuments([...CORPUS, "a", "Комитет по управлению проектом", "لجنة التسيير"]);
    for (const v of vectors) {
      expect(v).toHaveLength(1024);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    for (const v of vectors.slice(0, CORPUS.length)) expect(norm(v)).toBeCloseTo(1, 10);
    const small = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, CORPUS, 256));
    expect(small.dimension).toBe(256);
    expect(small.embed("steering committee")).toHaveLength(256);
  });

  it("embeds a text without words as a zero vector, not NaN", () => {
    const v = embeddings.embed("  ?! ");
    expect(v).toHaveLength(1024);
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it("folds case and accents", () => {
    expect(cosine(embeddings.embed("evaluation"), embeddings.embed("évaluation"))).toBeCloseTo(1, 10);
    expect(cosine(embeddings.embed("L'ÉVALUATION finale du projet"), embeddings.embed("l'evaluation finale du projet"))).toBeCloseTo(1, 10);
  });

  it("links the French and English wordings of a glossary concept", () => {
    const e = (t: string) => embeddings.embed(t);
    const linked = cosine(e("diagnostic partagé"), e("partner diagnosis"));
    const unrelated = [
      cosine(e("diagnostic partagé"), e("steering committee")),
      cosine(e("partner diagnosis"), e("tarte aux pommes")),
      cosine(e("diagnostic partagé"), e("football match")),
      cosine(e("partner diagnosis"), e("financement du projet")),
    ];
    expect(linked).toBeGreaterThan(0.3);
    for (const u of unrelated) expect(linked).toBeGreaterThan(u + 0.2);
    // Another concept, in sentences: the wordings share no word.
    expect(cosine(e("Qui siège au comité de pilotage ?"), e("Who sits on the steering committee?"))).toBeGreaterThan(0.3);
  });

  it("is named after its dimension in the index manifest", async () => {
    const model = await createEmbeddingModel({ provider: "local", dimension: 128 }, analyzer, { fitTexts: CORPUS });
    expect(model.name).toBe(`${LocalEmbeddings.NAME}:128`);
    expect(model.fingerprint).toBe((model.embeddings as LocalEmbeddings).fingerprint);
  });
});
