/** Builds the shipped knowledge base's index once for the whole run; tests read it through `inject("indexDir")`. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ingest } from "../../src/retrieval/ingest.js";

declare module "vitest" {
  export interface ProvidedContext {
    indexDir: string;
    knowledgeDir: string;
  }
}

let root: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-test-"));
  const knowledgeDir = path.resolve("knowledge");
  const indexDir = path.join(root, "index");
  const result = await ingest({ knowledgeDir, indexDir, embeddings: { provider: "local" } });
  if (result.errors.length) throw new Error(`shipped knowledge has errors: ${JSON.stringify(result.errors)}`);
  project.provide("indexDir", indexDir);
  project.provide("knowledgeDir", knowledgeDir);
}

export async function teardown(): Promise<void> {
  if (root) await rm(root, { recursive: true, force: true });
}
