/**
 * `npm run eval`: retrieval quality (hit@1, hit@3, MRR), abstention, extractive answers and similar projects,
 * against a plain BM25 baseline (MiniSearch) on the same passages. Prints numbers; asserts nothing.
 */
import { readFile } from "node:fs/promises";
import MiniSearch from "minisearch";
import YAML from "yaml";
import { z } from "zod";
import { answerText } from "../../src/answer/render-text.js";
import { loadConfig } from "../../src/config/config.js";
import { createAssistant } from "../../src/cli/runtime.js";
import { SETS, scoreSet, type Part } from "./natural.js";
import { percentile, scoreAnswers } from "./answers.js";
import type { SearchResult } from "../../src/retrieval/knowledge-index.js";

const QuestionSchema = z.array(z.object({ q: z.string(), lang: z.enum(["fr", "en"]), expect: z.array(z.string()) }));
const here = new URL("./", import.meta.url);
const questions = QuestionSchema.parse(YAML.parse(await readFile(new URL("questions.yaml", here), "utf8")));
const similarQueries = QuestionSchema.parse(YAML.parse(await readFile(new URL("similar.yaml", here), "utf8")));

const config = loadConfig({ ...process.env, REDIS_URL: "" , DATA_DIR: "/tmp/terrinclus-eval-data" });
const { engine, index, close } = await createAssistant(config);

const rankOf = (ids: string[], expect: string[]) => ids.findIndex((id) => expect.includes(id));
const docsOf = (search: SearchResult) => [...new Set(search.hits.map((h) => h.chunk.docId))];
const pct = (n: number) => n.toFixed(3);

interface Row { q: string; expect: string[]; ids: string[]; answered: boolean; similarity: number; coverage: number }
async function searchRows(items: typeof questions): Promise<Row[]> {
  const out: Row[] = [];
  for (const item of items) {
    const search = await index.search(item.q);
    out.push({ q: item.q, expect: item.expect, ids: docsOf(search), answered: search.answered, similarity: search.similarity, coverage: search.coverage });
  }
  return out;
}
const rows = await searchRows(questions);

function retrievalMetrics(list: Array<{ expect: string[]; ids: string[] }>) {
  const inDomain = list.filter((r) => r.expect.length);
  const ranks = inDomain.map((r) => rankOf(r.ids, r.expect));
  return {
    n: inDomain.length,
    hit1: ranks.filter((r) => r === 0).length / inDomain.length,
    hit3: ranks.filter((r) => r >= 0 && r < 3).length / inDomain.length,
    mrr: ranks.reduce((s, r) => s + (r >= 0 ? 1 / (r + 1) : 0), 0) / inDomain.length,
  };
}

function abstention(list: Row[], decide: (r: Row) => boolean) {
  const out = list.filter((r) => !r.expect.length);
  const inn = list.filter((r) => r.expect.length);
  return { rightRefusals: out.filter((r) => !decide(r)).length, outOfDomain: out.length, falseRefusals: inn.filter((r) => !decide(r)).length, inDomain: inn.length };
}

// Plain BM25 baseline: MiniSearch over the same passages, default tokenizer, no stemming, no glossary.
const passages = index.documents().flatMap((d) => index.passages(d.docId, d.lang));
const mini = new MiniSearch({ fields: ["title", "section", "text"], storeFields: ["docId"], idField: "chunkId" });
mini.addAll(passages);
const baselineRows = (items: typeof questions) => items.map((item) => ({ expect: item.expect, ids: [...new Set(mini.search(item.q).map((r) => r.docId as string))] }));
const baseline = baselineRows(questions);

const hybrid = retrievalMetrics(rows);
const base = retrievalMetrics(baseline);
const current = abstention(rows, (r) => r.answered);
const baseAbst = abstention(baseline.map((b, i) => ({ ...rows[i]!, ids: b.ids })), (r) => r.ids.length > 0);

// A second set, written apart from the first by someone who saw neither the system nor the first set.
const holdout = await readFile(new URL("holdout.yaml", here), "utf8").then((t) => QuestionSchema.parse(YAML.parse(t)), () => undefined);
const holdoutRows: Row[] = holdout ? await searchRows(holdout) : [];

// Extractive answers: is the first cited document an expected one? How long are answers?
let firstCitedOk = 0;
let answeredInDomain = 0;
const lengths: number[] = [];
for (const item of questions.filter((q) => q.expect.length)) {
  const reply = await engine.ask({ question: item.q, channel: "eval" });
  if (!reply.answered) continue;
  answeredInDomain++;
  if (item.expect.includes(reply.citations[0]?.id ?? "")) firstCitedOk++;
  lengths.push(answerText(reply).length);
}
lengths.sort((a, b) => a - b);

// Similar projects.
const simRanks: number[] = [];
for (const item of similarQueries) {
  const result = await engine.similar(item.q);
  simRanks.push(rankOf(result.results.map((r) => r.id), item.expect));
}
const sim = {
  n: simRanks.length,
  hit1: simRanks.filter((r) => r === 0).length / simRanks.length,
  hit3: simRanks.filter((r) => r >= 0 && r < 3).length / simRanks.length,
  mrr: simRanks.reduce((s, r) => s + (r >= 0 ? 1 / (r + 1) : 0), 0) / simRanks.length,
};

console.log(`Questions: ${questions.length} (${hybrid.n} in domain, ${current.outOfDomain} out of domain); corpus ${index.size} passages`);
console.log(`\nretrieval          hit@1   hit@3   MRR`);
console.log(`hybrid (ours)      ${pct(hybrid.hit1)}   ${pct(hybrid.hit3)}   ${pct(hybrid.mrr)}`);
console.log(`BM25 (MiniSearch)  ${pct(base.hit1)}   ${pct(base.hit3)}   ${pct(base.mrr)}`);
console.log(`\nabstention         right refusals   false refusals`);
console.log(`hybrid (ours)      ${current.rightRefusals}/${current.outOfDomain}            ${current.falseRefusals}/${current.inDomain}`);
console.log(`BM25 (MiniSearch)  ${baseAbst.rightRefusals}/${baseAbst.outOfDomain}            ${baseAbst.falseRefusals}/${baseAbst.inDomain}   (answers whenever anything matches)`);
console.log(`thresholds in use: ${JSON.stringify(index.thresholds)}`);
console.log(`\nextractive answers: first citation expected ${firstCitedOk}/${answeredInDomain} (${pct(firstCitedOk / Math.max(1, answeredInDomain))}); length median ${lengths[Math.floor(lengths.length / 2)]} chars, max ${lengths.at(-1)}`);
console.log(`\nsimilar projects (${sim.n} queries): hit@1 ${pct(sim.hit1)}, hit@3 ${pct(sim.hit3)}, MRR ${pct(sim.mrr)}`);

if (holdout) {
  const h = retrievalMetrics(holdoutRows);
  const b = retrievalMetrics(baselineRows(holdout));
  const a = abstention(holdoutRows, (r) => r.answered);
  console.log(`\nsecond set (${holdout.length} questions, longer and chattier): hybrid hit@1 ${pct(h.hit1)}, hit@3 ${pct(h.hit3)}, MRR ${pct(h.mrr)} | BM25 hit@1 ${pct(b.hit1)}, hit@3 ${pct(b.hit3)}, MRR ${pct(b.mrr)} | right refusals ${a.rightRefusals}/${a.outOfDomain}, false refusals ${a.falseRefusals}/${a.inDomain}`);
}

// Natural questions: the held-out part (written from titles and summaries only) is the figure that counts.
const verbose = process.argv.includes("--verbose");
for (const part of ["heldout", "tuning"] as Part[]) {
  console.log(`\nnatural questions, ${part === "heldout" ? "HELD OUT (written apart, never tuned on)" : "tuning part"}`);
  let inDomain = 0;
  let refused = 0;
  for (const set of SETS) {
    const score = await scoreSet(index, part, set, "/tmp/terrinclus-eval-data");
    const measure = set === "out-of-scope" ? "refused" : set === "followups" ? "right document and intent" : "right document first";
    console.log(`  ${set.padEnd(13)} ${String(score.n).padStart(3)}  ${measure}: ${pct(score.score)}${set === "out-of-scope" ? "" : `  (false refusals ${score.falseRefusals})`}`);
    if (set !== "out-of-scope") {
      inDomain += score.n;
      refused += score.falseRefusals;
    }
    if (verbose && part === "tuning") for (const m of score.misses) console.log(`    ✗ ${m.q} | expect ${m.expect.join(",") || "refusal"} | got ${m.got.slice(0, 3).join(",")} | answered ${m.answered}${m.intent ? ` | intent ${m.intent.expected}/${m.intent.got}` : ""}`);
  }
  console.log(`  false refusals over all in-domain questions: ${refused}/${inDomain} (${pct(refused / Math.max(1, inDomain))})`);
}

// Answer quality: the expected section quoted, the direct answer first, chat length.
for (const part of ["heldout", "tuning"] as Part[]) {
  const a = await scoreAnswers(index, part, "/tmp/terrinclus-eval-data");
  const facts = a.annotated ? `direct answer ${pct(a.directAnswer)} (${a.annotated} annotated)` : "direct answer: no fact annotated";
  console.log(`\nanswers, ${part === "heldout" ? "HELD OUT" : "tuning part"} (${a.n}): section hit ${pct(a.sectionHit)}; ${facts}; chat length p50 ${percentile(a.chatLengths, 50)}, p95 ${percentile(a.chatLengths, 95)} chars; refusals p95 ${percentile(a.refusalLengths, 95)} (${a.refusalLengths.length})`);
  if (verbose && part === "tuning") for (const m of a.misses) console.log(`    ✗ ${m.q} | expect ${m.expected} | got ${m.got.join("; ")}`);
}

if (verbose) {
  for (const r of [...rows, ...holdoutRows]) {
    const rank = rankOf(r.ids, r.expect);
    const wrong = r.expect.length ? rank !== 0 || !r.answered : r.answered;
    if (wrong) console.log(`✗ ${r.q} | expect ${r.expect.join(",") || "refusal"} | got ${r.ids.slice(0, 3).join(",")} | answered ${r.answered} sim ${r.similarity.toFixed(3)} cov ${r.coverage.toFixed(2)}`);
  }
  similarQueries.forEach((item, i) => { if (simRanks[i] !== 0) console.log(`✗ similar: ${item.q} | expect ${item.expect.join(",")} | rank ${simRanks[i]}`); });
}
await close();
