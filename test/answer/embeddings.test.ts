/** OpenAI-compatible embeddings at ingest and search, against a local server speaking the embeddings API. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddingsSettings } from "../../src/retrieval/embedding-model.js";
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
  fake = await FakeOpenAI.start({ apiKey: "sk-embed", dimension: 48 });
  knowledgeDir = await writeKnowledge();
  root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-openai-index-"));
  settings = { provider: "openai", model: "fake-embed-small", baseURL: fake.baseURL, apiKey: "sk-embed" };
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
      expect(r.headers.authorization).toBe("Bearer sk-embed");
    }
    // Every passage was sent once, with its title as context.
    const inputs = fake.embeddedInputs();
    expect(inputs).toHaveLength(first.chunks);
    expect(first.embedded).toBe(first.chunks);
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
    const resent = fake.embeddedInputs();
    expect(resent).toHaveLength(changedChunks);
    expect(second.embedded).toBe(changedChunks);
    for (const text of resent) expect(text.startsWith("Evaluating a decentralised cooperation, step by step")).toBe(true);
    expect(second.chunks).toBe(first.chunks);

    const reloaded = await KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY);
    const english = await reloaded.search("How to write the terms of reference of the evaluation?", { lang: "en" });
    expect(english.hits[0]?.chunk.title).toBe("Evaluating a decentralised cooperation, step by step");
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
    await expect(ingest({ knowledgeDir, indexDir, embeddings: { ...settings, apiKey: "sk-wrong" } })).rejects.toThrow(/API key/i);
    await expect(KnowledgeIndex.load(indexDir, settings, NO_GLOSSARY)).rejects.toThrow(/No index/);
  });
});
