/** The index manifest: which embeddings built it, and what each source file contributed. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CalibrationSchema } from "./calibration.js";

export const MANIFEST_FILE = "manifest.json";
/**
 * 2: answered questions and the general-language dictionary are part of the index.
 * 3: passages stored once per document (passages.json) and their vectors in typed arrays, searched exactly (no HNSW graph).
 * 4: the answered questions' vectors stored as the passages' are (question-vectors.*), sparse when mostly zero.
 */
export const INDEX_FORMAT = 4;

const ManifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  builtAt: z.string(),
  embeddings: z.object({ name: z.string(), dimension: z.number().int().positive(), fingerprint: z.string() }),
  glossaryHash: z.string(),
  chunks: z.number().int().nonnegative(),
  files: z.array(z.object({ path: z.string(), hash: z.string(), id: z.string(), lang: z.string(), kind: z.string(), chunks: z.number().int() })),
  errors: z.array(z.object({ path: z.string(), field: z.string().optional(), message: z.string() })),
  /** Semantic embeddings only: where the kit's coverage ends on this model's similarity scale. */
  calibration: CalibrationSchema.optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The format number an index directory's manifest declares, whatever its version; undefined without a readable manifest. */
export async function storedFormat(dir: string): Promise<number | undefined> {
  try {
    const parsed = z.object({ format: z.number() }).safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), "utf8")));
    return parsed.success ? parsed.data.format : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest of an index directory, or undefined when there is no usable index there. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
