/**
 * Memory and start-up of a real bot process, not of the benchmark's own: cold ingest by the built command line
 * (a child process, timed), then `terrinclus start` polling a local Bot API server, timed from spawn to the first
 * reply that server receives, then questions one at a time, then the bot's resident memory read from
 * `/proc/<pid>/status` (VmRSS now, VmHWM its peak).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { z } from "zod";
import { FakeTelegram } from "../test/support/telegram-server.js";
import { deleteKeys } from "./redis-keys.js";
import { mb, ms, percentile } from "./stats.js";

const CLI = path.resolve("dist/cli/main.js");
/** The Redis database the bots of this benchmark write to, so their conversations and logged questions stay apart. */
const REDIS_DB = 15;
const FIRST_CHAT = 7_700_000;

export interface ProcessMemory {
  /** Resident set now (VmRSS), bytes. */
  rss: number;
  /** Peak resident set (VmHWM), bytes. */
  peak: number;
}

export interface BotMemoryFigures {
  label: string;
  passages: number;
  ingestColdMs: number;
  /** CPU time of the ingest process (user + system), read with its peak: the machine's other load does not count. */
  ingestCpuMs: number;
  /** Peak resident set of the ingest process, read every 50 ms until it exits (the last reading). */
  ingestPeak: number;
  startupMs: number;
  replyP50: number;
  replyP95: number;
  questions: number;
  bot: ProcessMemory;
}

const IngestOutputSchema = z.object({ chunks: z.number().int(), written: z.boolean() });

/** CPU time a running process has used (user + system), from `/proc/<pid>/stat`, in clock ticks of 10 ms (Linux). */
async function cpuTime(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident memory of a running process, from `/proc/<pid>/status` (Linux). */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Cold ingest (no index there before) through the built command line: time, passages, and CPU time and peak memory sampled every 50 ms. */
async function coldIngest(knowledgeDir: string, indexDir: string): Promise<{ ms: number; cpuMs: number; passages: number; peak: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "ingest", "--dir", knowledgeDir, "--out", indexDir, "--force", "--json"], { env: cleanEnv({}), stdio: ["ignore", "pipe", "pipe"] });
  let peak = 0;
  let cpuMs = 0;
  const sampler = setInterval(() => {
    if (!child.pid) return;
    processMemory(child.pid).then(
      (m) => (peak = Math.max(peak, m.peak)),
      () => undefined,
    );
    cpuTime(child.pid).then(
      (t) => (cpuMs = Math.max(cpuMs, t)),
      () => undefined,
    );
  }, 50);
  const { code, stdout, stderr } = await outputOf(child);
  clearInterval(sampler);
  const elapsed = performance.now() - started;
  if (code !== 0) throw new Error(`terrinclus ingest --dir ${knowledgeDir} exited ${code}:\n${stderr}`);
  const result = IngestOutputSchema.parse(JSON.parse(stdout));
  return { ms: elapsed, cpuMs, passages: result.chunks, peak };
}

/** The arguments `npm start` gives node (package.json `scripts.start`, "node [flags] dist/cli/main.js start"): the bot runs as shipped. */
async function shippedStart(): Promise<string[]> {
  const { scripts } = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(await readFile("package.json", "utf8")));
  const [program, ...args] = scripts.start.trim().split(/\s+/);
  if (program !== "node" || !args.includes("dist/cli/main.js")) throw new Error(`package.json scripts.start is not "node [flags] dist/cli/main.js …": ${scripts.start}`);
  return args.map((arg) => (arg === "dist/cli/main.js" ? CLI : arg));
}

/**
 * Starts the bot as `npm start` does on an index, asks `questions` one at a time from distinct chats (no user reaches the
 * rate limit) and reads the bot's memory after the last reply; the bot is stopped with SIGTERM.
 */
async function measureBot(
  knowledgeDir: string,
  indexDir: string,
  scratch: string,
  questions: string[],
  redisUrl: string,
): Promise<Omit<BotMemoryFigures, "label" | "passages" | "ingestColdMs" | "ingestCpuMs" | "ingestPeak">> {
  const fake = await FakeTelegram.start();
  const finals = () => fake.calls.filter((c) => c.method === "sendMessage" && c.status === 200 && c.body.reply_markup);
  const env = cleanEnv({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    KNOWLEDGE_DIR: knowledgeDir,
    INDEX_DIR: indexDir,
    DATA_DIR: path.join(scratch, "data"),
    PILOTS_DIR: path.join(scratch, "no-pilots"),
    REDIS_URL: redisUrl,
    PORT: "0",
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  });
  const args = await shippedStart();
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const output = outputOf(child);
  try {
    const ask = async (i: number) => {
      const chat = FIRST_CHAT + i;
      const sentAt = Date.now();
      fake.sendText({ id: chat, type: "private" }, { id: chat, first_name: "Bench", language_code: "fr" }, questions[i]!);
      await waitUntil(() => finals().length > i, child, output, 120_000);
      return finals()[i]!.at - sentAt;
    };
    await ask(0);
    const startupMs = finals()[0]!.at - spawnedAt;
    const latencies: number[] = [];
    for (let i = 1; i < questions.length; i++) latencies.push(await ask(i));
    const bot = await processMemory(child.pid!);
    return { startupMs, replyP50: percentile(latencies, 50), replyP95: percentile(latencies, 95), questions: questions.length, bot };
  } finally {
    child.kill("SIGTERM");
    const stopped = await Promise.race([output.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!stopped) child.kill("SIGKILL");
    await fake.close();
  }
}

/** Both measures on one knowledge directory, in a scratch directory of their own. */
export async function benchBotMemory(label: string, knowledgeDir: string, questions: string[], redisUrl: string): Promise<BotMemoryFigures> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` first (the memory benchmark runs the built command line).`);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-memory-"));
  const url = new URL(redisUrl);
  url.pathname = `/${REDIS_DB}`;
  const redis = new Redis(url.href, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    const indexDir = path.join(scratch, "index");
    const ingest = await coldIngest(knowledgeDir, indexDir);
    const bot = await measureBot(knowledgeDir, indexDir, scratch, questions, url.href);
    return { label, passages: ingest.passages, ingestColdMs: ingest.ms, ingestCpuMs: ingest.cpuMs, ingestPeak: ingest.peak, ...bot };
  } finally {
    await redis.connect().then(
      () => deleteKeys(redis, "terrinclus:*"),
      () => undefined,
    );
    redis.disconnect();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The figures as a table, one row per corpus. */
export function memoryTable(rows: BotMemoryFigures[]): string {
  const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;
  const head = ["corpus", "passages", "cold ingest", "(CPU)", "ingest peak", "spawn→1st answer", "reply p50/p95", "bot RSS", "bot peak (VmHWM)"];
  const cells = rows.map((r) => [
    r.label,
    String(r.passages),
    seconds(r.ingestColdMs),
    seconds(r.ingestCpuMs),
    mb(r.ingestPeak),
    seconds(r.startupMs),
    `${ms(r.replyP50)}/${ms(r.replyP95)}`,
    mb(r.bot.rss),
    mb(r.bot.peak),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `  ${c.map((x, i) => (i ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ")}`;
  const questions = rows[0]?.questions ?? 0;
  return [
    `bot memory and start-up (built CLI: cold \`ingest\`, then the bot as \`npm start\` runs it, polling a local Bot API server; ${questions} questions one at a time, then /proc/<pid>/status; ingest CPU = user + system)`,
    line(head),
    ...cells.map(line),
    "",
  ].join("\n");
}

/** The benchmark's environment without any channel or model setting that would change what the bot runs. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(TELEGRAM_|SLACK_|LLM_|OPENAI_|EMBEDDINGS)/.test(name)) delete env[name];
  return { ...env, ...extra };
}

function outputOf(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

async function waitUntil(done: () => boolean, child: ChildProcess, output: Promise<{ stderr: string }>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${(await output).stderr}`);
    if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
