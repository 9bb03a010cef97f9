/**
 * Calibration of semantic embeddings (EMBEDDINGS=openai): each model has its own scale of cosine similarity,
 * so the line between "the kit covers this" and "it does not" is measured at ingest, not fixed. The kit's own
 * answered questions show how close in-domain questions come to the passages; a shipped list of off-domain
 * questions shows how close the rest of the world comes. The line is where the two are best told apart.
 */
import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { z } from "zod";

const OFF_DOMAIN_FILE = new URL("../../calibration/off-domain.yaml", import.meta.url);

export const CalibrationSchema = z.object({
  /** A question whose nearest passage is at least this similar is covered by the kit. */
  threshold: z.number(),
  /** At or above this similarity the answer is given without the "covers only part" caution. */
  confident: z.number(),
  inDomain: z.object({ count: z.number().int(), median: z.number() }),
  offDomain: z.object({ count: z.number().int(), median: z.number() }),
  /** Share of both samples the threshold classifies correctly (balanced). */
  accuracy: z.number(),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

const OffDomainSchema = z.object({ fr: z.array(z.string().min(3)).min(1), en: z.array(z.string().min(3)).min(1) });

/** The off-domain questions shipped with the assistant (`calibration/off-domain.yaml`), both languages. */
export async function offDomainQuestions(): Promise<string[]> {
  const parsed = OffDomainSchema.parse(YAML.parse(await readFile(OFF_DOMAIN_FILE, "utf8")));
  return [...parsed.fr, ...parsed.en];
}

/**
 * The threshold that minimises the balanced error between the best similarities of in-domain and off-domain
 * questions; `confident` lies half-way between it and the in-domain median.
 */
export function calibrate(inDomain: number[], offDomain: number[]): Calibration {
  if (!inDomain.length || !offDomain.length) throw new Error("calibration needs in-domain and off-domain samples");
  const candidates = [...new Set([...inDomain, ...offDomain])].sort((a, b) => a - b);
  // Half-way between two observed values, so neither sits on the line.
  const lines = candidates.map((c, i) => (i + 1 < candidates.length ? (c + candidates[i + 1]!) / 2 : c + 1e-6));
  const errors = lines.map((t) => inDomain.filter((s) => s < t).length / inDomain.length + offDomain.filter((s) => s >= t).length / offDomain.length);
  const least = Math.min(...errors);
  // Among equally good lines, the middle one: as far as the samples allow from both sides.
  const equal = lines.filter((_, i) => errors[i] === least);
  const middle = (equal[0]! + equal.at(-1)!) / 2;
  const best = { threshold: equal.reduce((a, b) => (Math.abs(b - middle) < Math.abs(a - middle) ? b : a)), error: least };
  const inMedian = median(inDomain);
  return {
    threshold: best.threshold,
    confident: inMedian > best.threshold ? (best.threshold + inMedian) / 2 : best.threshold,
    inDomain: { count: inDomain.length, median: inMedian },
    offDomain: { count: offDomain.length, median: median(offDomain) },
    accuracy: 1 - best.error / 2,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
