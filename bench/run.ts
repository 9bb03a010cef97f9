/**
 * `npm run bench`: prints figures; asserts nothing. Parts: retrieval, memory (a real bot process: cold ingest, start-up,
 * resident memory; needs `npm run build`), channels (Telegram and Slack side by side), reminders.
 * `--only retrieval|memory|channels|slack|telegram|reminders` (comma-separated, or repeated) runs some of them;
 * `--no-telegram` leaves the channels out. Reminders options: `--pilots N --milestones N --burst N` (scale down).
 * Only when named with `--only` (minutes each; exit 1 when a run is broken: a crash, a lost reply): `load`
 * (`--questions N --rate N`), `faults`, `fuzz` (`--count N --seed N`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateCorpus } from "./corpus.js";
import { benchRetrieval, evalQueries } from "./retrieval.js";
import { printReport } from "./report.js";
import { ms } from "./stats.js";

const PARTS = ["retrieval", "memory", "channels", "reminders", "load", "faults", "fuzz"] as const;
type Part = (typeof PARTS)[number];
const ALIASES: Record<string, Part> = { slack: "channels", telegram: "channels" };
/** Parts run only when named with --only (minutes each). */
const ON_REQUEST: readonly Part[] = ["load", "faults", "fuzz"];

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const number = (name: string) => {
  const value = option(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a whole number`);
  return n;
};
const only = args.flatMap((a, i) => (args[i - 1] === "--only" ? a.split(",") : a.startsWith("--only=") ? a.slice(7).split(",") : []));
for (const name of only) if (!PARTS.includes(name as Part) && !ALIASES[name]) throw new Error(`--only: unknown part "${name}" (${[...PARTS, ...Object.keys(ALIASES)].join(", ")})`);
const selected = new Set<Part>(only.length ? only.map((n) => ALIASES[n] ?? (n as Part)) : PARTS.filter((p) => !ON_REQUEST.includes(p)));
if (args.includes("--no-telegram")) selected.delete("channels");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

console.log(`node ${process.version}, ${os.cpus().length} CPU(s); parts: ${[...selected].join(", ")}\n`);
const queries = await evalQueries();

if (selected.has("retrieval")) {
  const root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-"));
  try {
    const knowledge = path.resolve("knowledge");
    await benchRetrieval("shipped corpus", knowledge, path.join(root, "shipped"), queries);
    const generated = path.join(root, "generated");
    await generateCorpus(knowledge, generated, 10_000);
    await benchRetrieval("generated corpus", generated, path.join(root, "generated-index"), queries, 2);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (selected.has("memory")) {
  const { benchBotMemory, memoryTable } = await import("./memory.js");
  const root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-"));
  try {
    const knowledge = path.resolve("knowledge");
    const generated = path.join(root, "generated");
    await generateCorpus(knowledge, generated, 10_000);
    const asked = queries.slice(0, 40);
    const rows = [await benchBotMemory("shipped", knowledge, asked, redisUrl), await benchBotMemory("generated 10,000", generated, asked, redisUrl)];
    console.log(memoryTable(rows));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (selected.has("channels")) {
  const { benchEngine } = await import("./engine.js");
  const { benchTelegram } = await import("./telegram.js");
  const { benchSlack } = await import("./slack.js");
  const shared = await benchEngine();
  try {
    const telegram = await benchTelegram(shared.engine, queries);
    const slack = await benchSlack(shared.engine, queries, redisUrl);
    const row = (name: string, f: typeof telegram) =>
      `  ${name.padEnd(24)} ${String(f.messages).padStart(4)} from ${f.conversations} in ${ms(f.elapsedMs).padStart(8)} → ${f.perSecond.toFixed(0).padStart(3)}/s | to reply p50 ${ms(f.p50)}, p95 ${ms(f.p95)}`;
    console.log(
      [
        "channels (same engine, extractive answers, per-chat pacing off, loopback; one run, one after the other)",
        row("telegram updates (runner)", telegram),
        row("slack events (HTTP)", slack),
        ...(slack.ack ? [`  slack receiver ack (signed POST answered): p50 ${ms(slack.ack.p50)}, p95 ${ms(slack.ack.p95)}, max ${ms(slack.ack.max)}`] : []),
        "",
      ].join("\n"),
    );
  } finally {
    await shared.close();
  }
}

if (selected.has("reminders")) {
  const { benchReminders } = await import("./reminders.js");
  const pilots = number("--pilots");
  const milestones = number("--milestones");
  const burst = number("--burst");
  await benchReminders({ redisUrl, ...(pilots ? { pilots } : {}), ...(milestones ? { milestones } : {}), ...(burst ? { burst } : {}) });
}

if (selected.has("load")) {
  const { benchLoad } = await import("./load.js");
  const questions = number("--questions");
  const rate = number("--rate");
  printReport(await benchLoad({ ...(questions ? { questions } : {}), ...(rate ? { rate } : {}) }));
}

if (selected.has("faults")) {
  const { benchFaults } = await import("./faults.js");
  printReport(await benchFaults());
}

if (selected.has("fuzz")) {
  const { benchFuzz } = await import("./fuzz.js");
  const count = number("--count");
  const seed = number("--seed");
  printReport(await benchFuzz({ redisUrl, ...(count ? { count } : {}), ...(seed ? { seed } : {}) }));
}
