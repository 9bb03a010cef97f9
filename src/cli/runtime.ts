/** Wires configuration, knowledge and index together for the commands that need them. */
import path from "node:path";
import { SingleBar, Presets } from "cli-progress";
import type { Config } from "../config/config.js";
import { isGlossary, loadGlossary } from "../knowledge/glossary.js";
import type { EmbeddingsSettings } from "../retrieval/embedding-model.js";
import { ingest, type IngestResult } from "../retrieval/ingest.js";
import { KnowledgeIndex, MissingIndexError } from "../retrieval/knowledge-index.js";

export function embeddingsSettings(config: Config): EmbeddingsSettings {
  if (config.EMBEDDINGS === "openai") {
    return { provider: "openai", model: config.EMBEDDINGS_MODEL!, baseURL: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY, dimensions: config.EMBEDDINGS_DIMENSIONS };
  }
  return { provider: "local" };
}

export interface IndexLocation {
  knowledgeDir: string;
  indexDir: string;
}

export function indexLocation(config: Config, overrides: Partial<IndexLocation> = {}): IndexLocation {
  return {
    knowledgeDir: path.resolve(overrides.knowledgeDir ?? config.KNOWLEDGE_DIR),
    indexDir: path.resolve(overrides.indexDir ?? config.INDEX_DIR),
  };
}

/** Runs ingestion with a progress bar when standard error is a terminal. */
export async function runIngest(config: Config, location: IndexLocation, options: { strict?: boolean; force?: boolean } = {}): Promise<IngestResult> {
  const bar = process.stderr.isTTY ? new SingleBar({ format: "embedding {bar} {value}/{total} passages", stream: process.stderr, hideCursor: true }, Presets.shades_classic) : undefined;
  let started = false;
  try {
    return await ingest({
      ...location,
      ...options,
      embeddings: embeddingsSettings(config),
      onProgress: ({ done, total }) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
  } finally {
    if (started) bar?.stop();
  }
}

/** Loads the index, building it first when there is none. */
export async function openIndex(config: Config, location: IndexLocation = indexLocation(config)): Promise<KnowledgeIndex> {
  const glossary = await loadGlossary(location.knowledgeDir);
  const terms = isGlossary(glossary) ? glossary : { terms: [] };
  try {
    return await KnowledgeIndex.load(location.indexDir, embeddingsSettings(config), terms);
  } catch (error) {
    if (!(error instanceof MissingIndexError)) throw error;
    process.stderr.write(`No index in ${location.indexDir}: building it from ${location.knowledgeDir}…\n`);
    const result = await runIngest(config, location);
    for (const e of result.errors) process.stderr.write(`  skipped ${e.path}: ${e.message}\n`);
    return KnowledgeIndex.load(location.indexDir, embeddingsSettings(config), terms);
  }
}
