/** Wires configuration, knowledge and index together for the commands that need them. */
import path from "node:path";
import { SingleBar, Presets } from "cli-progress";
import type { Redis } from "ioredis";
import { createRedis, redactUrl } from "../shared/redis.js";
import { MemoryConversationStore, RedisConversationStore } from "../answer/conversation.js";
import { AnswerEngine } from "../answer/engine.js";
import { FileConversationStore } from "../answer/file-conversations.js";
import { OpenAIGenerator } from "../answer/openai-generator.js";
import type { Generator } from "../answer/generator.js";
import { FileInsightStore, RedisInsightStore } from "../answer/insights.js";
import type { Logger } from "../shared/logger.js";
import { ConfigError, type Config } from "../config/config.js";
import { CodedError } from "../shared/errors.js";
import { isGlossary, loadGlossary } from "../knowledge/glossary.js";
import type { Glossary } from "../knowledge/schema.js";
import type { EmbeddingsSettings } from "../retrieval/embedding-model.js";
import { ingest, type IngestResult } from "../retrieval/ingest.js";
import { KnowledgeIndex, MissingIndexError } from "../retrieval/knowledge-index.js";

/** The embeddings the configuration asks for: an OpenAI-compatible endpoint, or the local offline ones. */
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

/** The knowledge and index directories, from the configuration unless overridden, as absolute paths. */
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
async function openIndex(config: Config, location: IndexLocation = indexLocation(config)): Promise<KnowledgeIndex> {
  const terms = await glossaryOf(location.knowledgeDir);
  try {
    return await KnowledgeIndex.load(location.indexDir, embeddingsSettings(config), terms);
  } catch (error) {
    if (!(error instanceof MissingIndexError)) throw error;
    // The reason (none, or one of another format) without its advice to run ingest, which follows here.
    process.stderr.write(`${error.message.replace(/\s*Run `terrinclus ingest`.*$/, "")} Building it from ${location.knowledgeDir}…\n`);
    const result = await runIngest(config, location);
    for (const e of result.errors) process.stderr.write(`  skipped ${e.path}: ${e.message}\n`);
    return KnowledgeIndex.load(location.indexDir, embeddingsSettings(config), terms);
  }
}

/** The glossary the index is searched with; invalid, it stops the load: without its concepts the search would quietly answer worse. */
async function glossaryOf(knowledgeDir: string): Promise<Glossary> {
  const glossary = await loadGlossary(knowledgeDir);
  if (!isGlossary(glossary)) throw new CodedError("GLOSSARY_INVALID", `The glossary ${path.join(knowledgeDir, glossary.path)} is invalid: ${glossary.message}. Run \`terrinclus check\` to see every problem.`);
  return glossary;
}

export interface Assistant {
  engine: AnswerEngine;
  /** The loaded index, for the parts the command line wires besides the engine (reminders' sheet summaries, evaluation). */
  readonly index: KnowledgeIndex;
  redis?: Redis;
  /**
   * Loads the index again from INDEX_DIR (after a re-ingest) and answers from it; on failure the previous
   * index keeps serving and the error (INDEX_RELOAD_FAILED) says why.
   */
  reloadIndex(): Promise<KnowledgeIndex>;
  close(): Promise<void>;
}

export interface AssistantOptions {
  /** Bots cannot run without Redis: conversations and rate limits must be shared. */
  requireRedis?: boolean;
  /** One interactive session: without Redis its conversation lives in memory only. */
  interactive?: boolean;
  logger?: Logger;
  location?: IndexLocation;
}

/**
 * The answer engine with its stores: Redis when REDIS_URL answers (shared by every instance),
 * otherwise memory for an interactive session and files under DATA_DIR for the command line.
 */
export async function createAssistant(config: Config, options: AssistantOptions = {}): Promise<Assistant> {
  // Redis first: a bot without it fails at once, before any index is built.
  const redis = await connectRedis(config, options.requireRedis ?? false, options.logger, options.interactive ? "memory" : undefined);
  let index = await openIndex(config, options.location).catch(async (error: unknown) => {
    await redis?.quit();
    throw error;
  });
  const dataDir = path.resolve(config.DATA_DIR);
  const ttl = config.CONVERSATION_TTL_SECONDS;
  const conversations = redis ? new RedisConversationStore(redis, ttl) : options.interactive ? new MemoryConversationStore(ttl) : new FileConversationStore(path.join(dataDir, "conversations"), ttl);
  const insights = redis ? new RedisInsightStore(redis) : new FileInsightStore(dataDir);
  const generator = createGenerator(config, () => index, options.logger);
  const engine = new AnswerEngine({ index, conversations, insights, generator, logger: options.logger });
  const location = options.location ?? indexLocation(config);
  return {
    engine,
    get index() {
      return index;
    },
    redis,
    reloadIndex: async () => {
      try {
        index = await KnowledgeIndex.load(location.indexDir, embeddingsSettings(config), await glossaryOf(location.knowledgeDir));
      } catch (error) {
        throw new CodedError("INDEX_RELOAD_FAILED", `Could not reload the index from ${location.indexDir}: ${(error as Error).message}. The previous index keeps serving.`, { cause: error });
      }
      engine.useIndex(index);
      return index;
    },
    close: async () => {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** `fallback` says where conversations go when Redis does not answer (for the notice). */
async function connectRedis(config: Config, required: boolean, logger?: Logger, fallback = `${config.DATA_DIR}/`): Promise<Redis | undefined> {
  if (!config.REDIS_URL) {
    if (required) throw new ConfigError("REDIS_URL is required (conversations and rate limits are kept in Redis).");
    return undefined;
  }
  // No retries before the first connection succeeds: an absent Redis must not keep the process waiting.
  const redis = createRedis(config.REDIS_URL, "requests");
  redis.on("error", (error: Error) => logger?.debug({ err: error.message }, "redis"));
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    if (required) throw new CodedError("REDIS_UNREACHABLE", `Redis at ${redactUrl(config.REDIS_URL)} does not answer: ${(error as Error).message}`);
    process.stderr.write(`Redis at ${redactUrl(config.REDIS_URL)} does not answer; keeping conversations in ${fallback} instead.\n`);
    return undefined;
  }
}

/** The configured language model, or undefined when none is configured. */
export function createGenerator(config: Config, index: () => KnowledgeIndex, logger?: Logger): Generator | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return undefined;
  return new OpenAIGenerator({ baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, apiKey: config.LLM_API_KEY, timeoutMs: config.LLM_TIMEOUT_MS, index, logger });
}
