/** Vectors of already-embedded passages, keyed by a hash of their text, so re-ingestion embeds only what changed. */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const KEYS_FILE = "vectors.json";
const DATA_FILE = "vectors.bin";

/** A text's cache key: 22 characters of its SHA-256 (base64url). */
export function textKey(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/** The cached vectors of an index directory; empty when there are none, they are unreadable, or another model (fingerprint) made them. */
export async function readVectorCache(dir: string, fingerprint: string): Promise<Map<string, number[]>> {
  try {
    const meta = JSON.parse(await readFile(path.join(dir, KEYS_FILE), "utf8")) as { fingerprint: string; dimension: number; keys: string[] };
    if (meta.fingerprint !== fingerprint) return new Map();
    const bytes = await readFile(path.join(dir, DATA_FILE));
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    return new Map(meta.keys.map((key, i) => [key, Array.from(data.subarray(i * meta.dimension, (i + 1) * meta.dimension))]));
  } catch {
    return new Map();
  }
}

/** Writes the vectors (float32, binary) and their keys with the model's fingerprint (JSON) into an index directory. */
export async function writeVectorCache(dir: string, fingerprint: string, entries: Map<string, number[]>): Promise<void> {
  const keys = [...entries.keys()];
  const dimension = entries.values().next().value?.length ?? 0;
  const data = new Float32Array(keys.length * dimension);
  keys.forEach((key, i) => data.set(entries.get(key)!, i * dimension));
  await writeFile(path.join(dir, DATA_FILE), new Uint8Array(data.buffer));
  await writeFile(path.join(dir, KEYS_FILE), JSON.stringify({ fingerprint, dimension, keys }));
}
