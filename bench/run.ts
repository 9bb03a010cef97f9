/** `npm run bench`: prints figures; asserts nothing. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateCorpus } from "./corpus.js";
import { benchRetrieval, evalQueries } from "./retrieval.js";

const root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-"));
try {
  const queries = await evalQueries();
  const knowledge = path.resolve("knowledge");
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s)\n`);
  await benchRetrieval("shipped corpus", knowledge, path.join(root, "shipped"), queries);
  const generated = path.join(root, "generated");
  await generateCorpus(knowledge, generated, 10_000);
  await benchRetrieval("generated corpus", generated, path.join(root, "generated-index"), queries, 2);
  if (!process.argv.includes("--no-telegram")) {
    const { benchTelegram } = await import("./telegram.js");
    await benchTelegram();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
