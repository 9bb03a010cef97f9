/**
 * Exact nearest passages by cosine similarity. Vectors are stored at unit length in typed arrays, sparse
 * (position, value) when mostly zero, as the local embeddings are (about a tenth of their dimensions are used):
 * a 10,000-passage kit is searched in a few milliseconds without building a graph, and nothing is approximate.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** Below this share of non-zero values, positions are stored beside the values (2 bytes each) instead of every zero. */
const SPARSE_BELOW = 0.5;

const HeaderSchema = z.object({
  count: z.number().int().nonnegative(),
  dimension: z.number().int().nonnegative(),
  /** Number of values stored: count × dimension when dense. */
  stored: z.number().int().nonnegative(),
  sparse: z.boolean(),
});
type Header = z.infer<typeof HeaderSchema>;

export interface VectorHit {
  /** Position of the vector in the order it was given. */
  index: number;
  similarity: number;
}

/** The vectors of an index's passages (or answered questions), searched exactly by cosine similarity. */
export class VectorIndex {
  private constructor(
    readonly dimension: number,
    /** Vector i's values are values[offsets[i] .. offsets[i + 1]). */
    private readonly offsets: Uint32Array,
    private readonly values: Float32Array,
    /** Sparse storage: the dimension of each value; undefined when dense (value j of a vector is dimension j). */
    private readonly positions: Uint16Array | undefined,
  ) {}

  /** Stores the vectors (of one dimension) at unit length, sparse when most of their values are zero. */
  static build(vectors: readonly number[][], dimension: number): VectorIndex {
    let nonZero = 0;
    for (const vector of vectors) for (const v of vector) if (v !== 0) nonZero++;
    const sparse = dimension <= 0x10000 && nonZero < SPARSE_BELOW * vectors.length * dimension;
    const offsets = new Uint32Array(vectors.length + 1);
    const values = new Float32Array(sparse ? nonZero : vectors.length * dimension);
    const positions = sparse ? new Uint16Array(nonZero) : undefined;
    let at = 0;
    vectors.forEach((vector, i) => {
      if (vector.length !== dimension) throw new Error(`vector ${i} has ${vector.length} dimensions, not ${dimension}`);
      const norm = Math.hypot(...vector) || 1;
      for (let d = 0; d < dimension; d++) {
        if (sparse && vector[d] === 0) continue;
        if (positions) positions[at] = d;
        values[at++] = vector[d]! / norm;
      }
      offsets[i + 1] = at;
    });
    return new VectorIndex(dimension, offsets, values, positions);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** The `k` vectors most similar to `query` among those `accept` lets through, most similar first (ties: first stored first). */
  search(query: readonly number[], k: number, accept?: (index: number) => boolean): VectorHit[] {
    if (query.length !== this.dimension || k <= 0) return [];
    const norm = Math.hypot(...query) || 1;
    const unit = Float64Array.from(query, (v) => v / norm);
    const best: VectorHit[] = [];
    for (let i = 0; i < this.size; i++) {
      if (accept && !accept(i)) continue;
      const similarity = this.dot(i, unit);
      if (best.length === k && similarity <= best[k - 1]!.similarity) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { index: i, similarity });
      if (best.length > k) best.pop();
    }
    return best;
  }

  private dot(i: number, unit: Float64Array): number {
    const { offsets, values, positions } = this;
    let sum = 0;
    if (positions) for (let j = offsets[i]!; j < offsets[i + 1]!; j++) sum += values[j]! * unit[positions[j]!]!;
    else for (let j = offsets[i]!, d = 0; j < offsets[i + 1]!; j++, d++) sum += values[j]! * unit[d]!;
    return sum;
  }

  /** Writes the vectors into an index directory, as `<name>.json` (sizes) and `<name>.bin` (offsets, values, positions). */
  async write(dir: string, name: string): Promise<void> {
    const header: Header = { count: this.size, dimension: this.dimension, stored: this.values.length, sparse: this.positions !== undefined };
    const parts = [this.offsets, this.values, ...(this.positions ? [this.positions] : [])].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    await writeFile(path.join(dir, `${name}.bin`), Buffer.concat(parts));
    await writeFile(path.join(dir, `${name}.json`), JSON.stringify(header));
  }

  /** Reads the vectors `write` wrote under `name`; throws when they are missing or do not add up. */
  static async read(dir: string, name: string): Promise<VectorIndex> {
    const header = HeaderSchema.parse(JSON.parse(await readFile(path.join(dir, `${name}.json`), "utf8")));
    const file = await readFile(path.join(dir, `${name}.bin`));
    const offsetBytes = (header.count + 1) * 4;
    const valueBytes = header.stored * 4;
    const expected = offsetBytes + valueBytes + (header.sparse ? header.stored * 2 : 0);
    if (file.byteLength !== expected) throw new Error(`${name}.bin holds ${file.byteLength} bytes, not the ${expected} its header announces`);
    // The arrays are views of the file's own buffer (copied first in the rare case it is not 4-byte aligned).
    const bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
    const offsets = new Uint32Array(bytes.buffer, bytes.byteOffset, header.count + 1);
    const values = new Float32Array(bytes.buffer, bytes.byteOffset + offsetBytes, header.stored);
    const positions = header.sparse ? new Uint16Array(bytes.buffer, bytes.byteOffset + offsetBytes + valueBytes, header.stored) : undefined;
    if (offsets[header.count] !== header.stored) throw new Error(`${name}.bin is inconsistent: its offsets end at ${offsets[header.count]}, not ${header.stored}`);
    return new VectorIndex(header.dimension, offsets, values, positions);
  }
}
