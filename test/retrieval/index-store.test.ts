/**
 * What the index keeps on disk and in memory: passages read back exactly as the chunker made them, vectors searched
 * exactly (the same passages, in the same order, as comparing the query with every vector), sparse or dense.
 */
import { afterAll, describe, expect, inject, it } from "vitest";
import { isGlossary, loadGlossary } from "../../src/knowledge/glossary.js";
import { loadKnowledge } from "../../src/knowledge/loader.js";
import { Analyzer } from "../../src/retrieval/analyzer.js";
import { chunkDocument } from "../../src/retrieval/chunker.js";
import { ConceptMatcher } from "../../src/retrieval/concepts.js";
import { indexedText } from "../../src/retrieval/chunk.js";
import { LocalEmbeddings } from "../../src/retrieval/local-embeddings.js";
import { readPassages, writePassages } from "../../src/retrieval/passage-store.js";
import { VectorIndex } from "../../src/retrieval/vector-index.js";
import { removeDir, tempDir } from "../fixtures/knowledge.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

/** A deterministic pseudo-random vector with `nonZero` of its `dimension` values set. */
function vector(seed: number, dimension: number, nonZero: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  let x = seed * 2654435761;
  for (let k = 0; k < nonZero; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    v[x % dimension] = ((x >>> 8) % 2001) / 1000 - 1;
  }
  return v;
}

/** Cosine similarity of every vector with the query, most similar first (ties: first given first). */
function bruteForce(vectors: number[][], query: number[], k: number): Array<{ index: number; similarity: number }> {
  const length = (v: number[]) => Math.hypot(...v) || 1;
  return vectors
    .map((v, index) => ({ index, similarity: v.reduce((sum, x, d) => sum + x * query[d]!, 0) / length(v) / length(query) }))
    .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
    .slice(0, k);
}

describe("VectorIndex", () => {
  it.each([
    ["sparse", 24],
    ["dense", 128],
  ])("finds exactly the nearest vectors when stored %s, and reads back the same", async (_layout, nonZero) => {
    const vectors = Array.from({ length: 300 }, (_, i) => vector(i + 1, 128, nonZero));
    const index = VectorIndex.build(vectors, 128);
    const dir = await tempDir("vector-index");
    dirs.push(dir);
    await index.write(dir, "vectors");
    const read = await VectorIndex.read(dir, "vectors");
    expect(read.size).toBe(300);
    for (let q = 0; q < 20; q++) {
      const query = vector(1000 + q, 128, 40);
      const expected = bruteForce(vectors, query, 10);
      for (const found of [index.search(query, 10), read.search(query, 10)]) {
        expect(found.map((h) => h.index)).toEqual(expected.map((h) => h.index));
        found.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i]!.similarity, 6));
      }
    }
  });

  it("keeps only what the filter accepts, puts the first stored first among equals, and refuses a query of another dimension", () => {
    const same = vector(7, 64, 10);
    const index = VectorIndex.build([vector(1, 64, 10), same, vector(2, 64, 10), same], 64);
    expect(index.search(same, 2).map((h) => h.index)).toEqual([1, 3]);
    expect(index.search(same, 4, (i) => i % 2 === 0).every((h) => h.index % 2 === 0)).toBe(true);
    expect(index.search(vector(7, 32, 10), 4)).toEqual([]);
    expect(index.search(same, 0)).toEqual([]);
  });
});

describe("passages on disk", () => {
  it("reads back every passage of the shipped kit as the chunker made it, sources and summary on the first only", async () => {
    const { documents } = await loadKnowledge(inject("knowledgeDir"));
    const chunks = documents.flatMap((d) => chunkDocument(d));
    const dir = await tempDir("passages");
    dirs.push(dir);
    await writePassages(dir, chunks);
    const read = await readPassages(dir);
    expect(read).toEqual(chunks);
    expect(read.map((c) => Object.keys(c))).toEqual(chunks.map((c) => Object.keys(c)));
    expect(read.filter((c) => c.sources).every((c) => c.position === 0)).toBe(true);
  });
});

describe("LocalEmbeddings fitted at ingest", () => {
  it("embeds the texts it was fitted on without analysing them again, to the same vectors", async () => {
    const glossary = await loadGlossary(inject("knowledgeDir"));
    const analyzer = new Analyzer(new ConceptMatcher(isGlossary(glossary) ? glossary : { terms: [] }));
    const { documents } = await loadKnowledge(inject("knowledgeDir"));
    const texts = documents.slice(0, 6).flatMap((d) => chunkDocument(d).map(indexedText));
    const fitted = LocalEmbeddings.fitted(analyzer, texts);
    const plain = new LocalEmbeddings(analyzer, LocalEmbeddings.fit(analyzer, texts));
    expect(fitted.weights).toEqual(plain.weights);
    expect(fitted.fingerprint).toBe(plain.fingerprint);
    expect(await fitted.embedDocuments(texts)).toEqual(await plain.embedDocuments(texts));
    // Embedded once, a text is forgotten; embedding it again analyses it, to the same vector.
    expect(fitted.embed(texts[0]!)).toEqual(plain.embed(texts[0]!));
  });
});
