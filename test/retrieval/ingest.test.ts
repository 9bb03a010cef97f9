import { readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGlossary, loadGlossary } from "../../src/knowledge/glossary.js";
import type { Glossary } from "../../src/knowledge/schema.js";
import { ingest, type IngestResult } from "../../src/retrieval/ingest.js";
import { IndexMismatchError, KnowledgeIndex, MissingIndexError } from "../../src/retrieval/knowledge-index.js";
import { MANIFEST_FILE, readManifest } from "../../src/retrieval/manifest.js";
import { glossary, knowledgeTree, removeDir, sheet, tempDir } from "../fixtures/knowledge.js";
import { smallCorpus } from "../fixtures/small-corpus.js";

const LOCAL = { provider: "local" } as const;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function fresh(files = smallCorpus()): Promise<{ knowledgeDir: string; indexDir: string }> {
  const knowledgeDir = await knowledgeTree("ingest", files);
  const root = await tempDir("ingest-index");
  dirs.push(knowledgeDir, root);
  return { knowledgeDir, indexDir: path.join(root, "index") };
}

/** Every file of a directory with its size and modification time: what "writes nothing" compares. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const s = await stat(path.join(dir, name));
    out[name] = `${s.size}:${s.mtimeMs}:${s.ino}`;
  }
  return out;
}

async function glossaryOf(dir: string): Promise<Glossary> {
  const glossary = await loadGlossary(dir);
  if (!isGlossary(glossary)) throw new Error(glossary.message);
  return glossary;
}

describe("ingest: incremental runs", () => {
  let knowledgeDir: string;
  let indexDir: string;
  let first: IngestResult;

  beforeAll(async () => {
    ({ knowledgeDir, indexDir } = await fresh());
    first = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
  });

  it("builds the index on the first run, embedding every passage", async () => {
    expect(first).toMatchObject({ written: true, files: 9, errors: [] });
    expect(first.chunks).toBeGreaterThan(9);
    expect(first.embedded).toBe(first.chunks);
    const manifest = await readManifest(indexDir);
    expect(manifest).toMatchObject({ format: 4, chunks: first.chunks, embeddings: { name: "local-hashed-v1:1024", dimension: 1024 } });
    expect(manifest!.files.map((f) => f.path)).toContain("kit/evaluation-croisee.fr.md");
    expect(manifest!.files.reduce((n, f) => n + f.chunks, 0)).toBe(first.chunks);
    expect(await readdir(path.dirname(indexDir))).toEqual(["index"]);
  });

  it("writes nothing and embeds nothing when nothing changed", async () => {
    const before = await snapshot(indexDir);
    const again = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
    expect(again).toMatchObject({ written: false, embedded: 0, files: 9, chunks: first.chunks, errors: [] });
    expect(await snapshot(indexDir)).toEqual(before);
    expect(await readdir(path.dirname(indexDir))).toEqual(["index"]);
  });

  it("re-ingests when one file changes, and the change is searchable", async () => {
    const file = path.join(knowledgeDir, "kit/pilotage.en.md");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("at least once a year.", "at least once a year, with a quorum of seven members."));
    const changed = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
    expect(changed).toMatchObject({ written: true, files: 9, errors: [] });
    expect(changed.embedded).toBeGreaterThan(0);
    const manifest = await readManifest(indexDir);
    const entry = manifest!.files.find((f) => f.path === "kit/pilotage.en.md");
    expect(entry?.hash).not.toBe(first.manifest!.files.find((f) => f.path === "kit/pilotage.en.md")?.hash);

    const index = await KnowledgeIndex.load(indexDir, LOCAL, await glossaryOf(knowledgeDir));
    const result = await index.search("how many members make the quorum of the steering committee?");
    expect(result.hits[0]?.chunk.text).toContain("quorum of seven members");
    expect(await readdir(path.dirname(indexDir))).toEqual(["index"]);
  });

  it("re-ingests when a file is added or removed, or the glossary changes", async () => {
    await writeFile(path.join(knowledgeDir, "kit/budget.fr.md"), sheet({ id: "budget", lang: "fr", words: 60 }));
    expect(await ingest({ knowledgeDir, indexDir, embeddings: LOCAL })).toMatchObject({ written: true, files: 10 });
    await rm(path.join(knowledgeDir, "kit/budget.fr.md"));
    expect(await ingest({ knowledgeDir, indexDir, embeddings: LOCAL })).toMatchObject({ written: true, files: 9 });
    expect(await ingest({ knowledgeDir, indexDir, embeddings: LOCAL })).toMatchObject({ written: false, embedded: 0 });
    await writeFile(path.join(knowledgeDir, "glossary.yaml"), glossary([{ concept: "steering-committee", fr: ["comité de pilotage", "comité directeur"], en: ["steering committee"] }]));
    expect(await ingest({ knowledgeDir, indexDir, embeddings: LOCAL })).toMatchObject({ written: true });
  });

  it("rebuilds on --force even when nothing changed", async () => {
    const forced = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL, force: true });
    expect(forced.written).toBe(true);
    expect(forced.chunks).toBeGreaterThan(0);
  });
});

describe("ingest: embeddings of another kind", () => {
  let knowledgeDir: string;
  let indexDir: string;
  let glossary: Glossary;

  beforeAll(async () => {
    ({ knowledgeDir, indexDir } = await fresh());
    await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
    glossary = await glossaryOf(knowledgeDir);
  });

  it("loads an index built with the configured embeddings", async () => {
    const index = await KnowledgeIndex.load(indexDir, LOCAL, glossary);
    expect(index.size).toBe(index.manifest.chunks);
    expect(index.manifest.embeddings.dimension).toBe(1024);
  });

  it("refuses an index whose manifest names other embeddings, saying to re-ingest", async () => {
    const copy = await tempDir("ingest-edited");
    dirs.push(copy);
    for (const name of await readdir(indexDir)) await writeFile(path.join(copy, name), await readFile(path.join(indexDir, name)));
    const manifestFile = path.join(copy, MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    manifest.embeddings.name = "openai:text-embedding-3-small";
    await writeFile(manifestFile, JSON.stringify(manifest));

    const load = KnowledgeIndex.load(copy, LOCAL, glossary);
    await expect(load).rejects.toBeInstanceOf(IndexMismatchError);
    await expect(load).rejects.toThrow(/openai:text-embedding-3-small/);
    await expect(load).rejects.toThrow(/local-hashed-v1:1024/);
    await expect(load).rejects.toThrow(/re-ingest.*terrinclus ingest --force/i);
  });

  it("refuses a local index when other embeddings are configured", async () => {
    const load = KnowledgeIndex.load(indexDir, { provider: "openai", model: "text-embedding-3-small", apiKey: "unused" }, glossary);
    await expect(load).rejects.toBeInstanceOf(IndexMismatchError);
    await expect(load).rejects.toThrow(/re-ingest/i);
  });

  it("refuses an index built with another dimension than the configured one", async () => {
    const { knowledgeDir: kd, indexDir: small } = await fresh();
    const built = await ingest({ knowledgeDir: kd, indexDir: small, embeddings: { provider: "local", dimension: 64 } });
    expect(built.manifest?.embeddings).toMatchObject({ name: "local-hashed-v1:64", dimension: 64 });
    const load = KnowledgeIndex.load(small, { provider: "local", dimension: 1024 }, glossary);
    await expect(load).rejects.toBeInstanceOf(IndexMismatchError);
    await expect(load).rejects.toThrow(/"local-hashed-v1:64".*"local-hashed-v1:1024".*re-ingest/i);
    // Without a configured dimension, the index's own weights define the vector space.
    expect((await KnowledgeIndex.load(small, LOCAL, glossary)).manifest.embeddings.dimension).toBe(64);
  });

  it("rebuilds instead of reporting 'up to date' when the configured dimension changes", async () => {
    const { knowledgeDir: kd, indexDir: dir } = await fresh();
    await ingest({ knowledgeDir: kd, indexDir: dir, embeddings: LOCAL });
    const resized = await ingest({ knowledgeDir: kd, indexDir: dir, embeddings: { provider: "local", dimension: 128 } });
    expect(resized.written).toBe(true);
    expect(resized.embedded).toBe(resized.chunks);
    expect((await readManifest(dir))?.embeddings).toMatchObject({ name: "local-hashed-v1:128", dimension: 128 });
    expect(await ingest({ knowledgeDir: kd, indexDir: dir, embeddings: { provider: "local", dimension: 128 } })).toMatchObject({ written: false, embedded: 0 });
    await expect(KnowledgeIndex.load(dir, { provider: "local", dimension: 128 }, glossary)).resolves.toBeInstanceOf(KnowledgeIndex);
  });

  it("tells an index of an older format from a missing one, and ingest rebuilds it", async () => {
    const { knowledgeDir: kd, indexDir: dir } = await fresh();
    await ingest({ knowledgeDir: kd, indexDir: dir, embeddings: LOCAL });
    const manifestFile = path.join(dir, MANIFEST_FILE);
    await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(await readFile(manifestFile, "utf8")), format: 2 }));
    const load = KnowledgeIndex.load(dir, LOCAL, glossary);
    await expect(load).rejects.toBeInstanceOf(MissingIndexError);
    await expect(load).rejects.toThrow(/another version of terrinclus \(index format 2; this version reads format 4\).*terrinclus ingest/);
    const rebuilt = await ingest({ knowledgeDir: kd, indexDir: dir, embeddings: LOCAL });
    expect(rebuilt.written).toBe(true);
    expect((await KnowledgeIndex.load(dir, LOCAL, glossary)).size).toBe(rebuilt.chunks);
  });

  it("says how to build a missing index", async () => {
    const empty = await tempDir("ingest-missing");
    dirs.push(empty);
    const load = KnowledgeIndex.load(empty, LOCAL, glossary);
    await expect(load).rejects.toBeInstanceOf(MissingIndexError);
    await expect(load).rejects.toThrow(/terrinclus ingest/);
  });
});

describe("ingest: invalid files", () => {
  const withBadFile = () => ({
    ...smallCorpus(),
    "kit/broken.fr.md": sheet({ id: "broken", lang: "fr", meta: { kind: "guide" } }),
  });

  it("in strict mode, writes no index when a file is invalid", async () => {
    const { knowledgeDir, indexDir } = await fresh(withBadFile());
    const result = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL, strict: true });
    expect(result).toMatchObject({ written: false, chunks: 0, embedded: 0, files: 9 });
    expect(result.errors).toEqual([{ path: "kit/broken.fr.md", field: "kind", message: expect.stringMatching(/^kind: /) }]);
    expect(await readdir(path.dirname(indexDir))).toEqual([]);
  });

  it("otherwise indexes the good files and records the bad one in the manifest", async () => {
    const { knowledgeDir, indexDir } = await fresh(withBadFile());
    const result = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
    expect(result).toMatchObject({ written: true, files: 9 });
    expect(result.errors.map((e) => e.path)).toEqual(["kit/broken.fr.md"]);
    const manifest = await readManifest(indexDir);
    expect(manifest?.files).toHaveLength(9);
    expect(manifest?.errors.map((e) => e.path)).toEqual(["kit/broken.fr.md"]);
    const index = await KnowledgeIndex.load(indexDir, LOCAL, await glossaryOf(knowledgeDir));
    expect(index.documents().map((d) => d.docId)).not.toContain("broken");
    expect(index.languagesOf("pilotage")).toEqual(["fr", "en"]);
  });

  it("reports an invalid glossary as an error and still indexes the documents", async () => {
    const { knowledgeDir, indexDir } = await fresh({ ...smallCorpus(), "glossary.yaml": "terms: [\n" });
    const result = await ingest({ knowledgeDir, indexDir, embeddings: LOCAL });
    expect(result.written).toBe(true);
    expect(result.errors).toEqual([{ path: "glossary.yaml", message: expect.stringMatching(/^invalid YAML/) }]);
  });
});
