/** `terrinclus ingest`: builds or refreshes the index. Exit 0: done; 2: index written but some files skipped; 1: failed. */
import type { Config } from "../../config/config.js";
import { indexLocation, runIngest } from "../runtime.js";

export interface IngestCommandOptions {
  dir?: string;
  out?: string;
  strict?: boolean;
  force?: boolean;
  json?: boolean;
}

/** Builds or refreshes the index (`--dir` and `--out`, else the configured directories), prints the outcome, returns the exit status above. */
export async function runIngestCommand(config: Config, options: IngestCommandOptions): Promise<number> {
  const location = indexLocation(config, { knowledgeDir: options.dir, indexDir: options.out });
  const started = performance.now();
  const result = await runIngest(config, location, options);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const status = result.errors.length ? (options.strict ? 1 : 2) : 0;
  if (options.json) {
    const { manifest: _manifest, ...rest } = result;
    process.stdout.write(`${JSON.stringify({ ...rest, indexDir: location.indexDir, seconds: Number(seconds) })}\n`);
    return status;
  }
  for (const e of result.errors) process.stderr.write(`✗ ${e.path}: ${e.message}\n`);
  if (options.strict && result.errors.length) {
    process.stderr.write(`Strict mode: ${result.errors.length} invalid file(s), index not written.\n`);
  } else if (!result.written) {
    process.stdout.write(`Index up to date in ${location.indexDir}: ${result.files} files, ${result.chunks} passages; nothing re-embedded.\n`);
  } else {
    process.stdout.write(`Indexed ${result.files} files into ${result.chunks} passages (${result.embedded} embedded) in ${seconds} s → ${location.indexDir}\n`);
    if (result.errors.length) process.stdout.write(`${result.errors.length} file(s) skipped; fix them and run ingest again.\n`);
  }
  return status;
}
