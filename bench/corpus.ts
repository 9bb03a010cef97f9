/** A generated corpus of the requested size, recombining sentences of the shipped sheets (deterministic). */
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadKnowledge } from "../src/knowledge/loader.js";

/** Mulberry32: a tiny seeded PRNG, so every run generates the same corpus. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes about `passages` passages (20 sections per file) under `dir`, with the shipped glossary. */
export async function generateCorpus(sourceDir: string, dir: string, passages: number): Promise<void> {
  const { documents } = await loadKnowledge(sourceDir);
  const sentences = documents.flatMap((d) =>
    d.body
      .split(/(?<=[.!?])\s+/)
      .filter((s) => s.length > 40 && !s.startsWith("#"))
      .map((s) => ({ s: s.replace(/\n/g, " "), lang: d.meta.lang })),
  );
  const random = prng(42);
  const pick = (lang: string) => {
    for (;;) {
      const x = sentences[Math.floor(random() * sentences.length)]!;
      if (x.lang === lang) return x.s;
    }
  };
  await mkdir(path.join(dir, "gen"), { recursive: true });
  await copyFile(path.join(sourceDir, "glossary.yaml"), path.join(dir, "glossary.yaml"));
  const files = Math.ceil(passages / 20);
  for (let f = 0; f < files; f++) {
    const lang = f % 2 ? "en" : "fr";
    const sections = Array.from({ length: 20 }, (_, i) => `## Section ${i + 1}\n\n${Array.from({ length: 4 }, () => pick(lang)).join(" ")}`);
    const front = `---\nid: gen-${f}\nlang: ${lang}\nkind: document\ntitle: "Generated document ${f}"\nsummary: "Generated for benchmarks."\nbasis: [practice]\nsources:\n  - title: "Generated"\n    note: "benchmark corpus"\n---\n`;
    await writeFile(path.join(dir, "gen", `gen-${f}.${lang}.md`), `${front}# Generated document ${f}\n\n${sections.join("\n\n")}\n`);
  }
}
