/** The configured embeddings, with what the index manifest needs to know about them. */
import type { Embeddings } from "@langchain/core/embeddings";
import type { Analyzer } from "./analyzer.js";
import { DEFAULT_LOCAL_DIMENSION, LocalEmbeddings, type LocalWeights } from "./local-embeddings.js";

export interface EmbeddingModel {
  /** Stable name recorded in the manifest: an index is only usable with the same name. */
  name: string;
  /** Identifies the exact vector space (local weights change it); vectors are cached per fingerprint. */
  fingerprint: string;
  embeddings: Embeddings;
}

export type EmbeddingsSettings = { provider: "local"; dimension?: number } | { provider: "openai"; model: string; baseURL?: string; apiKey?: string; dimensions?: number };

/**
 * The name an index records for these settings. Indexes are only usable with the same name:
 * another model or dimension is another vector space.
 */
export function embeddingsName(settings: EmbeddingsSettings): string {
  return settings.provider === "openai" ? `openai:${settings.model}${settings.dimensions ? `:${settings.dimensions}` : ""}` : `${LocalEmbeddings.NAME}:${settings.dimension ?? DEFAULT_LOCAL_DIMENSION}`;
}

/**
 * Builds the model. Local embeddings need weights: fitted on `fitTexts` at ingest, or loaded from the index.
 * The OpenAI client is imported only for `openai` settings: a process on local embeddings does not load it.
 */
export async function createEmbeddingModel(settings: EmbeddingsSettings, analyzer: Analyzer, local: { weights: LocalWeights } | { fitTexts: string[] }): Promise<EmbeddingModel> {
  if (settings.provider === "openai") {
    const { OpenAIEmbeddings } = await import("@langchain/openai");
    const embeddings = new OpenAIEmbeddings({
      model: settings.model,
      apiKey: settings.apiKey ?? "not-needed",
      ...(settings.dimensions ? { dimensions: settings.dimensions } : {}),
      configuration: settings.baseURL ? { baseURL: settings.baseURL } : undefined,
      maxRetries: 2,
    });
    const name = embeddingsName(settings);
    return { name, fingerprint: name, embeddings };
  }
  const embeddings = "weights" in local ? new LocalEmbeddings(analyzer, local.weights) : LocalEmbeddings.fitted(analyzer, local.fitTexts, settings.dimension);
  return { name: embeddingsName({ provider: "local", dimension: embeddings.dimension }), fingerprint: embeddings.fingerprint, embeddings };
}
