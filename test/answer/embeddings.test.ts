/** OpenAI-compatible embeddings at ingest and search, against a local server speaking the embeddings API. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddingsSettings } from "../../src/retrieval/embedding-model.js";
import { offDomainQuestions } from "../../src/retrieval/calibration.js";
import { ingest } from "../../src/retrieval/ingest.js";
import { IndexMismatchError, KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { FakeOpenAI } from "../support/openai-server.js";
import { SHEETS, sheet, writeKnowledge } from "./fixtures.js";

const NO_GLOSSARY = { terms: [] };
let fake: FakeOpenAI;
let knowledgeDir: string;
let root: string;
let settings: Extract<EmbeddingsSettings, { provider: "openai" }>;

beforeAll(async () => {
  fake = await FakeOpenAI.start({ apiKey: "sk-FAKE-embed", dimension: 48 });
  knowledgeDir = await writeKnowledge();
  root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-openai-index-"));
  settings = { provider: "openai", model: "fake-embed-small", baseURL: fake.baseURL, apiKey: "sk-FAKE-embed" };
});
afterAll(async () => {
  await fake.close();
  await rm(root, { recursive: true, force: true });
  await rm(knowledgeDir, { recursive: true, force: true });
});

describe("OpenAI-compatible embeddings", () => {
  it("ingests through the embeddings API, searches with it, refuses other embeddings, and re-embeds only what changed", async () => {
    const indexDir = path.join(root, "index");
    const first = await ingest({ knowledgeDir, indexDir, embeddings: settings });
    expect(first.errors).toEqual([]);
    expect(first.written).toBe(true);
    expect(first.files).toBe(Object.keys(SHEETS).length);

    const requests = fake.embeddingRequests();
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.method).toBe("POST");
      expect(r.body.model).toBe("fake-embed-small");
      expect(r.headers.authorization).toBe("Bearer sk-FAKE-embed");
    }
    // Every text was sent once: the passages with their title and section as context, and for the calibration the
    // documents' titles (this corpus has no answered questions) and the shipped off-domain questions.
    const inputs = fake.embeddedInputs();
    expect(new Set(inputs).size).toBe(inputs.length);
    expect(first.embedded).toBe(inputs.length);
    const passages = inputs.filter((t) => t.includes(" › "));
    expect(passages).toHaveLength(first.chunks);
    expect(inputs).toEqual(expect.arrayContaining(await offDomainQuestions()));
    expect(inputs.some((t) => t.includes("Installer le comité de pilotage de la coopération"))).toBe(true);
    expect(first.manifest?.embeddings).toMatchObject({ name: "openai:fake-embed-small", dimension: 48 });

    // Searching embeds the query through the same API.
    fake.requests.length = 0;
    const index = await KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY);
    expect(index.size).toBe(first.chunks);
    const result = await index.search("comment installer le comité de pilotage ?", { lang: "fr" });
    expect(fake.embeddedInputs()).toEqual(["comment installer le comité de pilotage ?"]);
    expect(result.hits[0]?.chunk.docId).toBe("comite");
    expect(result.hits[0]?.similarity).toBeGreaterThan(0);
    expect(result.answered).toBe(true);

    // The same index with the local embeddings (or another model) is refused.
    await expect(KnowledgeIndex.load(indexDir, { provider: "local" }, NO_GLOSSARY)).rejects.toBeInstanceOf(IndexMismatchError);
    await expect(KnowledgeIndex.load(indexDir, { ...settings, model: "other-model" }, NO_GLOSSARY)).rejects.toThrow(/openai:fake-embed-small/);

    // Nothing changed: nothing is embedded or written.
    fake.requests.length = 0;
    const again = await ingest({ knowledgeDir, indexDir, embeddings: settings });
    expect(again.written).toBe(false);
    expect(fake.embeddingRequests()).toHaveLength(0);

    // One file changed (its title, so each of its passages changes): only its passages are embedded again.
    const changed = { ...SHEETS["kit/evaluation.en.md"]!, title: "Evaluating a decentralised cooperation, step by step" };
    await writeFile(path.join(knowledgeDir, "kit/evaluation.en.md"), sheet(changed));
    fake.requests.length = 0;
    const second = await ingest({ knowledgeDir, indexDir, embeddings: settings });
    expect(second.written).toBe(true);
    const changedChunks = second.manifest!.files.find((f) => f.path === "kit/evaluation.en.md")!.chunks;
    expect(changedChunks).toBeGreaterThan(1);
    // Its passages and its new title (for the calibration); nothing else.
    const resent = fake.embeddedInputs();
    expect(resent.filter((t) => t.includes(" › "))).toHaveLength(changedChunks);
    expect(second.embedded).toBe(resent.length);
    for (const text of resent) expect(text.startsWith("Evaluating a decentralised cooperation, step by step")).toBe(true);
    expect(second.chunks).toBe(first.chunks);

    const reloaded = await KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY);
    const english = await reloaded.search("How to write the terms of reference of the evaluation?", { lang: "en" });
    expect(english.hits[0]?.chunk.title).toBe("Evaluating a decentralised cooperation, step by step");
  });

  it("calibrates the coverage line on the model's own scale, and refuses by it", async () => {
    const indexDir = path.join(root, "index-calibrated");
    const result = await ingest({ knowledgeDir, indexDir, embeddings: settings });
    const calibration = result.manifest!.calibration!;
    expect(calibration).toBeDefined();
    expect(calibration.offDomain.count).toBe((await offDomainQuestions()).length);
    // The line lies between the off-domain and in-domain medians, and tells them apart better than chance.
    expect(calibration.threshold).toBeGreaterThan(calibration.offDomain.median);
    expect(calibration.threshold).toBeLessThanOrEqual(calibration.inDomain.median);
    expect(calibration.confident).toBeGreaterThanOrEqual(calibration.threshold);
    expect(calibration.accuracy).toBeGreaterThan(0.7);

    const index = await KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY);
    const covered = await index.search("comment installer le comité de pilotage de la coopération ?", { lang: "fr" });
    expect(covered.answered).toBe(true);
    expect(covered.hits[0]?.chunk.docId).toBe("comite");
    for (const question of ["Quelle est la recette du gâteau au chocolat ?", "Who won the rugby world cup in 2019?"]) {
      const result = await index.search(question);
      expect(result.answered, question).toBe(false);
      // Below the line, passages take no part in the ranking.
      for (const hit of result.hits) expect(hit.similarity === 0 || hit.similarity >= calibration.threshold).toBe(true);
    }
  });

  it("asks for the configured dimensions and records them in the index name", async () => {
    const indexDir = path.join(root, "index-32");
    fake.requests.length = 0;
    const sized: EmbeddingsSettings = { ...settings, dimensions: 32 };
    const result = await ingest({ knowledgeDir, indexDir, embeddings: sized });
    expect(fake.embeddingRequests().every((r) => r.body.dimensions === 32)).toBe(true);
    expect(result.manifest?.embeddings).toMatchObject({ name: "openai:fake-embed-small:32", dimension: 32 });
    const index = await KnowledgeIndex.load(indexDir, sized, NO_GLOSSARY);
    expect((await index.search("évaluation finale de la coopération", { lang: "fr" })).hits[0]?.chunk.docId).toBe("evaluation");
    await expect(KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY)).rejects.toBeInstanceOf(IndexMismatchError);
  });

  it("fails ingestion without writing an index when the API refuses the key", async () => {
    const indexDir = path.join(root, "index-refused");
    await expect(ingest({ knowledgeDir, indexDir, embeddings: { ...settings, apiKey: "sk-FAKE-wrong" } })).rejects.toThrow(/API key/i);
    await expect(KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY)).rejects.toThrow(/No index/);
  });
});
