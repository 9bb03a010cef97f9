/**
 * `npm run eval`: retrieval quality (hit@1, hit@3, MRR), abstention, extractive answers and similar projects,
 * against a plain BM25 baseline (MiniSearch) on the same passages. Prints numbers; asserts nothing.
 */
import MiniSearch from "minisearch";
import { loadConfig } from "../../src/config/config.js";
import { createAssistant } from "../../src/cli/runtime.js";
import { SETS, scoreSet, type Part } from "./natural.js";
import { percentile, scoreAnswers } from "./answers.js";
import { abstention, extractiveFigures, loadQuestions, rankFigures, rankOf, retrievalMetrics, searchRows, similarRanks, type Question } from "./measures.js";

const questions = await loadQuestions("questions.yaml");
const similarQueries = await loadQuestions("similar.yaml");

const config = loadConfig({ ...process.env, REDIS_URL: "", DATA_DIR: "/tmp/terrinclus-eval-data" });
const { engine, index, close } = await createAssistant(config);

const pct = (n: number) => n.toFixed(3);

const rows = await searchRows(index, questions);

// Plain BM25 baseline: MiniSearch over the same passages, default tokenizer, no stemming, no glossary.
const passages = index.documents().flatMap((d) => index.passages(d.docId, d.lang));
const mini = new MiniSearch({ fields: ["title", "section", "text"], storeFields: ["docId"], idField: "chunkId" });
mini.addAll(passages);
const baselineRows = (items: Question[]) => items.map((item) => ({ expect: item.expect, ids: [...new Set(mini.search(item.q).map((r) => r.docId as string))] }));
const baseline = baselineRows(questions);

const hybrid = retrievalMetrics(rows);
const base = retrievalMetrics(baseline);
const current = abstention(rows, (r) => r.answered);
const baseAbst = abstention(
  baseline.map((b, i) => ({ ...rows[i]!, ids: b.ids })),
  (r) => r.ids.length > 0,
);

// A second set, written apart from the first by someone who saw neither the system nor the first set.
const holdout = await loadQuestions("holdout.yaml");
const holdoutRows = await searchRows(index, holdout);

// Extractive answers: is the first cited document an expected one? How long are answers?
const { firstCitedOk, answered: answeredInDomain, lengths } = await extractiveFigures(engine, questions);

// Similar projects.
const simRanks = await similarRanks(engine, similarQueries);
const sim = rankFigures(simRanks);

console.log(`Questions: ${questions.length} (${hybrid.n} in domain, ${current.outOfDomain} out of domain); corpus ${index.size} passages`);
console.log(`\nretrieval          hit@1   hit@3   MRR`);
console.log(`hybrid (ours)      ${pct(hybrid.hit1)}   ${pct(hybrid.hit3)}   ${pct(hybrid.mrr)}`);
console.log(`BM25 (MiniSearch)  ${pct(base.hit1)}   ${pct(base.hit3)}   ${pct(base.mrr)}`);
console.log(`\nabstention         right refusals   false refusals`);
console.log(`hybrid (ours)      ${current.rightRefusals}/${current.outOfDomain}            ${current.falseRefusals}/${current.inDomain}`);
console.log(`BM25 (MiniSearch)  ${baseAbst.rightRefusals}/${baseAbst.outOfDomain}            ${baseAbst.falseRefusals}/${baseAbst.inDomain}   (answers whenever anything matches)`);
console.log(`thresholds in use: ${JSON.stringify(index.thresholds)}`);
console.log(
  `\nextractive answers: first citation expected ${firstCitedOk}/${answeredInDomain} (${pct(firstCitedOk / Math.max(1, answeredInDomain))}); length median ${lengths[Math.floor(lengths.length / 2)]} chars, max ${lengths.at(-1)}`,
);
console.log(`\nsimilar projects (${sim.n} queries): hit@1 ${pct(sim.hit1)}, hit@3 ${pct(sim.hit3)}, MRR ${pct(sim.mrr)}`);

const heldHybrid = retrievalMetrics(holdoutRows);
const heldBase = retrievalMetrics(baselineRows(holdout));
const heldAbst = abstention(holdoutRows, (r) => r.answered);
console.log(
  `\nsecond set (${holdout.length} questions, longer and chattier): hybrid hit@1 ${pct(heldHybrid.hit1)}, hit@3 ${pct(heldHybrid.hit3)}, MRR ${pct(heldHybrid.mrr)} | BM25 hit@1 ${pct(heldBase.hit1)}, hit@3 ${pct(heldBase.hit3)}, MRR ${pct(heldBase.mrr)} | right refusals ${heldAbst.rightRefusals}/${heldAbst.outOfDomain}, false refusals ${heldAbst.falseRefusals}/${heldAbst.inDomain}`,
);

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
    if (verbose && part === "tuning")
      for (const m of score.misses)
        console.log(`    ✗ ${m.q} | expect ${m.expect.join(",") || "refusal"} | got ${m.got.slice(0, 3).join(",")} | answered ${m.answered}${m.intent ? ` | intent ${m.intent.expected}/${m.intent.got}` : ""}`);
  }
  console.log(`  false refusals over all in-domain questions: ${refused}/${inDomain} (${pct(refused / Math.max(1, inDomain))})`);
}

// Answer quality: the expected section quoted, the direct answer first, chat length.
for (const part of ["heldout", "tuning"] as Part[]) {
  const a = await scoreAnswers(index, part, "/tmp/terrinclus-eval-data");
  const facts = a.annotated ? `direct answer ${pct(a.directAnswer)} (${a.annotated} annotated)` : "direct answer: no fact annotated";
  console.log(
    `\nanswers, ${part === "heldout" ? "HELD OUT" : "tuning part"} (${a.n}): section hit ${pct(a.sectionHit)}; ${facts}; chat length p50 ${percentile(a.chatLengths, 50)}, p95 ${percentile(a.chatLengths, 95)} chars; refusals p95 ${percentile(a.refusalLengths, 95)} (${a.refusalLengths.length})`,
  );
  if (verbose && part === "tuning") for (const m of a.misses) console.log(`    ✗ ${m.q} | expect ${m.expected} | got ${m.got.join("; ")}`);
}

if (verbose) {
  for (const r of [...rows, ...holdoutRows]) {
    const rank = rankOf(r.ids, r.expect);
    const wrong = r.expect.length ? rank !== 0 || !r.answered : r.answered;
    if (wrong) console.log(`✗ ${r.q} | expect ${r.expect.join(",") || "refusal"} | got ${r.ids.slice(0, 3).join(",")} | answered ${r.answered} sim ${r.similarity.toFixed(3)} cov ${r.coverage.toFixed(2)}`);
  }
  similarQueries.forEach((item, i) => {
    if (simRanks[i] !== 0) console.log(`✗ similar: ${item.q} | expect ${item.expect.join(",")} | rank ${simRanks[i]}`);
  });
}
await close();
