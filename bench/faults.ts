/**
 * Faults, against the real `terrinclus start` process (Telegram webhook + Slack HTTP receiver + reminders' worker)
 * under steady traffic, over loopback:
 * (a) its Redis (one of the benchmark's own, append-only persistence) shut down mid-run and started again, while
 *     reminders fall due: do the bots keep answering, does the worker reconnect, is any reminder lost or duplicated?
 * (b) the platform servers answer HTTP 500, then hang, for a while each: are retries bounded, does the process stay
 *     up with `/healthz` answering, is the failure visible in its logs and `/metrics`?
 * Prints figures; asserts nothing; the run is broken only when the process dies.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeSlack } from "../test/support/slack-server.js";
import { FakeTelegram } from "../test/support/telegram-server.js";
import { AppProcess, builtIndex, freePort, PROJECT_DIR, type LogLine } from "./app-process.js";
import { TELEGRAM_SENDS_PER_SECOND } from "./load.js";
import { CHANNELS_LISTENING, drain, firstReplyMs, outcomeCounts, productEnv, sendSteadily, spread, trafficPlan, type Sent } from "./platform-traffic.js";
import { PrivateRedis } from "./private-redis.js";
import { evaluationQuestions, type MixQuestion } from "./question-mix.js";
import { isMain, printReport, type BenchReport } from "./report.js";
import { ms } from "./stats.js";

const RATE = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stretch of the run: from `from` to `to` (epoch ms). */
interface Phase {
  name: string;
  from: number;
  to: number;
}

/** Runs `steps` one after the other from now, each after its delay; resolves with the phases they bound. */
async function timeline(steps: Array<{ name: string; ms: number; after?: () => Promise<void> | void }>): Promise<Phase[]> {
  const phases: Phase[] = [];
  for (const step of steps) {
    const from = Date.now();
    await sleep(step.ms);
    phases.push({ name: step.name, from, to: Date.now() });
    await step.after?.();
  }
  return phases;
}

/** Probes `/healthz` and `/readyz` every 500 ms until stopped; the answers, timed. */
function probeHealth(app: AppProcess): { stop(): Promise<Array<{ at: number; healthz: number; readyz: number }>> } {
  const samples: Array<{ at: number; healthz: number; readyz: number }> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const [healthz, readyz] = await Promise.all(
        ["/healthz", "/readyz"].map((p) =>
          app.get(p, 1500).then(
            (r) => r.status,
            () => 0,
          ),
        ),
      );
      samples.push({ at, healthz: healthz!, readyz: readyz! });
      await sleep(500);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** Per phase: outcomes of the questions sent in it, latency to the first reply, health probes, warnings and errors logged. */
function phaseLines(phases: Phase[], sent: Sent[], probes: Array<{ at: number; healthz: number; readyz: number }>, logs: LogLine[]): string[] {
  return phases.map((phase) => {
    const inside = (t: number) => t >= phase.from && t < phase.to;
    const questions = sent.filter((s) => inside(s.sentAt));
    const latency = spread(questions.filter((s) => s.replies.length).map(firstReplyMs));
    const health = probes.filter((p) => inside(p.at));
    const ok = (key: "healthz" | "readyz") => `${health.filter((p) => p[key] === 200).length}/${health.length}`;
    const logged = logs.filter((l) => inside(Number(l.time)) && (l.level ?? 0) >= 40);
    const kinds = new Map<string, number>();
    for (const l of logged) kinds.set(String(l.msg), (kinds.get(String(l.msg)) ?? 0) + 1);
    return [
      `  ${phase.name} (${ms(phase.to - phase.from)}): ${questions.length} questions → ${[...outcomeCounts(questions)].map(([k, v]) => `${k} ${v}`).join(", ") || "none"}; first reply p50 ${ms(latency.p50)}, max ${ms(latency.max)}`,
      `    /healthz 200 ${ok("healthz")}, /readyz 200 ${ok("readyz")}; warnings and errors logged: ${logged.length}${
        kinds.size
          ? ` (${[...kinds]
              .slice(0, 4)
              .map(([m, n]) => `"${m}" ×${n}`)
              .join(", ")})`
          : ""
      }`,
    ].join("\n");
  });
}

/** A local date-time (no offset) `ms` from now in Europe/Paris, to the second. */
const localIn = (ms: number) => new Date(Date.now() + ms).toLocaleString("sv-SE", { timeZone: "Europe/Paris" }).replace(" ", "T");

const PILOT_CHAT = -1_009_000_001;
const PILOT_CHANNEL = "C0FAULTPILOT";
const REMINDERS = 12;
/** The first milestone falls due this long after the plan is written (`pilots sync` takes seconds on a busy machine), the others every EVERY_MS. */
const FIRST_DUE_MS = 20_000;
const EVERY_MS = 3000;
const titleOf = (k: number) => `Jalon de test ${String(k + 1).padStart(2, "0")}`;

/** A plan whose `REMINDERS` milestones fall due `firstMs`, `firstMs + everyMs`, … from now. */
function planYaml(firstMs: number, everyMs: number): string {
  const milestones = Array.from({ length: REMINDERS }, (_, k) =>
    [`  - id: jalon-${String(k + 1).padStart(2, "0")}`, `    title: ${titleOf(k)}`, `    due: ${localIn(firstMs + k * everyMs)}`, "    sheet: gouvernance-pilotage"].join("\n"),
  );
  return ["id: equipe-pannes", 'name: "Equipe des pannes"', "timezone: Europe/Paris", "channels:", `  telegram: [${PILOT_CHAT}]`, `  slack: [${PILOT_CHANNEL}]`, "remind: [PT1S]", "milestones:", ...milestones, ""].join(
    "\n",
  );
}

function pilotsSync(env: Record<string, string>): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, "dist/cli/main.js"), "pilots", "sync"], { cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, ...env, LOG_LEVEL: "warn" } });
  return { code: run.status, out: `${run.stdout}${run.stderr}`.trim() };
}

/** (a) Redis shut down and started again while the bots answer and reminders fall due. */
async function redisRestart(mix: MixQuestion[], indexDir: string): Promise<BenchReport> {
  const redis = await PrivateRedis.start({ persistent: true });
  const telegram = await FakeTelegram.start({ sendRate: { perSecond: TELEGRAM_SENDS_PER_SECOND } });
  const slack = await FakeSlack.start();
  telegram.addChat(PILOT_CHAT, "supergroup", { title: "Equipe des pannes" });
  const pilotsDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-faults-"));
  const port = await freePort();
  const env = productEnv({ telegram, slack, redisUrl: redis.url, indexDir, pilotsDir });
  let app: AppProcess | undefined;
  try {
    // A plan file makes `start` run the worker; its near milestones are synced once the process runs.
    await writeFile(path.join(pilotsDir, "equipe-pannes.yaml"), planYaml(10 * 24 * 3600_000, 3600_000));
    app = await AppProcess.start(env, port, [...CHANNELS_LISTENING, /reminder worker started/]);
    const planned = Date.now();
    await writeFile(path.join(pilotsDir, "equipe-pannes.yaml"), planYaml(FIRST_DUE_MS, EVERY_MS));
    const sync = pilotsSync(env);
    const syncMs = Date.now() - planned;
    // Due times are whole local seconds; each reminder fires one second before (PT1S).
    const dueAt = Array.from({ length: REMINDERS }, (_, k) => Math.floor((planned + FIRST_DUE_MS + k * EVERY_MS) / 1000) * 1000 - 1000);
    const probes = probeHealth(app);
    const traffic = sendSteadily(trafficPlan(RATE * 62, mix, telegram, slack), RATE, `http://127.0.0.1:${port}`);
    const phases = await timeline([
      { name: "before", ms: 15_000, after: () => redis.down() },
      { name: "Redis down", ms: 12_000, after: () => redis.up() },
      { name: "after restart", ms: 35_000 },
    ]);
    const delivered = (platform: "telegram" | "slack", k: number) =>
      (platform === "telegram"
        ? telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 200 && Number(c.body.chat_id) === PILOT_CHAT).map((c) => ({ at: c.at, text: String(c.body.text) }))
        : slack.posts.filter((p) => p.channel === PILOT_CHANNEL).map((p) => ({ at: p.at, text: p.text ?? "" }))
      ).filter((m) => m.text.includes(titleOf(k)));
    const sent = await traffic;
    await drain(sent, telegram, slack, 30_000);
    // A job in progress when Redis went away is taken over once its lock expires (30 s) and the stalled check runs (30 s).
    const allDelivered = () => (["telegram", "slack"] as const).every((platform) => dueAt.every((_, k) => delivered(platform, k).length > 0));
    for (const deadline = phases[1]!.to + 75_000; !allDelivered() && Date.now() < deadline; ) await sleep(500);
    await sleep(Math.max(0, Math.max(...dueAt) + 5000 - Date.now()));
    const samples = await probes.stop();
    const alive = app.alive;
    const ready = alive ? await app.get("/readyz").catch(() => ({ status: 0, body: "" })) : { status: 0, body: "" };
    const stopped = await app.stop();
    const logs = app.logs;
    app = undefined;

    const counts = (["telegram", "slack"] as const).map((platform) => {
      const per = Array.from({ length: REMINDERS }, (_, k) => delivered(platform, k));
      const lateness = per.flatMap((list, k) => list.slice(0, 1).map((m) => m.at - dueAt[k]!));
      const late = spread(lateness);
      const lost = per.flatMap((list, k) => (list.length ? [] : [`due at ${ms(dueAt[k]! - phases[1]!.from)} from the shutdown`]));
      return `${platform}: ${per.filter((l) => l.length === 1).length} once, ${lost.length} lost${lost.length ? ` (${lost.join(", ")})` : ""}, ${per.filter((l) => l.length > 1).length} duplicated; lateness p50 ${ms(late.p50)}, max ${ms(late.max)}`;
    });
    const duringOutage = dueAt.filter((t) => t >= phases[1]!.from && t < phases[1]!.to).length;
    const lines = [
      `faults (a): Redis shut down (SHUTDOWN NOSAVE, append-only file kept) ${ms(phases[1]!.to - phases[1]!.from)} and started again; traffic ${RATE} questions/s on both platforms; ${REMINDERS} reminders due every ${EVERY_MS / 1000} s, ${duringOutage} of them while Redis was down (\`pilots sync\` ${sync.code === 0 ? `in ${ms(syncMs)}` : `failed: ${sync.out}`})`,
      ...phaseLines(phases, sent, samples, logs),
      `  reminders (${REMINDERS} per platform): ${counts.join("; ")}`,
      `  after the run: process ${alive ? "up" : "DEAD"}, /readyz ${ready.status} ${ready.status === 200 ? "" : ready.body}; SIGTERM → exit ${stopped.code ?? stopped.signal} in ${ms(stopped.ms)}; fatal or uncaught in logs: ${logs.filter((l) => (l.level ?? 0) >= 60 || /uncaught|unhandled/i.test(String(l.msg))).length}`,
      "",
    ];
    return { lines, broken: alive ? [] : ["terrinclus start died while Redis restarted"] };
  } finally {
    await app?.stop();
    await telegram.close();
    await slack.close();
    await redis.stop();
    await rm(pilotsDir, { recursive: true, force: true });
  }
}

/** Series of `/metrics` that changed between two samples and name failures or errors (the process's own, not Node's). */
function failureSeries(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after]
    .filter(([name, value]) => /fail|error|retr/i.test(name) && !/^terrinclus_(process|nodejs)_/.test(name) && value !== (before.get(name) ?? 0))
    .map(([name, value]) => `${name} +${value - (before.get(name) ?? 0)}`);
}

/** (b) The platform servers answer 500, then hang, for a while each. */
async function platformOutages(mix: MixQuestion[], indexDir: string): Promise<BenchReport> {
  const redis = await PrivateRedis.start();
  const telegram = await FakeTelegram.start({ sendRate: { perSecond: TELEGRAM_SENDS_PER_SECOND } });
  const slack = await FakeSlack.start();
  const pilotsDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-faults-"));
  const port = await freePort();
  let app: AppProcess | undefined;
  const outage = (mode: "error" | "hang" | undefined) => {
    telegram.outage(mode);
    slack.outage(mode);
  };
  try {
    app = await AppProcess.start(productEnv({ telegram, slack, redisUrl: redis.url, indexDir, pilotsDir }), port, CHANNELS_LISTENING);
    const before = await app.metrics();
    const probes = probeHealth(app);
    const traffic = sendSteadily(trafficPlan(RATE * 60, mix, telegram, slack), RATE, `http://127.0.0.1:${port}`);
    const phases = await timeline([
      { name: "normal", ms: 8000, after: () => outage("error") },
      { name: "platforms answer 500", ms: 12_000, after: () => outage(undefined) },
      { name: "recovered", ms: 12_000, after: () => outage("hang") },
      { name: "platforms hang", ms: 12_000, after: () => outage(undefined) },
      { name: "recovered (connections dropped)", ms: 16_000 },
    ]);
    const sent = await traffic;
    await drain(sent, telegram, slack, 60_000);
    const samples = await probes.stop();
    const alive = app.alive;
    const after = alive ? await app.metrics() : new Map<string, number>();
    const stopped = await app.stop();
    const logs = app.logs;
    app = undefined;

    // API calls per question, failed or not (retries included), from the question until the next one of its conversation.
    const attempts = (s: Sent, next?: Sent) => {
      const window = (at: number) => at >= s.sentAt && (!next || at < next.sentAt);
      if (s.platform === "telegram") return telegram.calls.filter((c) => c.method === "sendMessage" && String(c.body.chat_id) === s.conversation && window(c.at)).length;
      const [channel, thread] = s.conversation.split("/");
      return slack.calls.filter((c) => c.method === "chat.postMessage" && c.body.channel === channel && (thread ? c.body.thread_ts === thread : !c.body.thread_ts) && window(c.at)).length;
    };
    const nextOf = (s: Sent) => sent.find((o) => o.conversation === s.conversation && o.sentAt > s.sentAt);
    const retryLines = phases
      .slice(1, 4)
      .filter((p) => p.name.startsWith("platforms"))
      .map((phase) => {
        const inPhase = sent.filter((s) => s.sentAt >= phase.from && s.sentAt < phase.to);
        const per = (platform: "telegram" | "slack") => inPhase.filter((s) => s.platform === platform).map((s) => attempts(s, nextOf(s)));
        const describe = (list: number[]) => (list.length ? `max ${Math.max(...list)}, mean ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)}` : "none");
        return `  ${phase.name}: send calls per question (first try, retries and the error notice): Telegram ${describe(per("telegram"))}; Slack ${describe(per("slack"))}`;
      });
    const failures = failureSeries(before, after);
    const lines = [
      `faults (b): the local Telegram and Slack servers answer HTTP 500 for 12 s, then hang (no answer; connections dropped when it ends) for 12 s; traffic ${RATE} questions/s`,
      ...phaseLines(phases, sent, samples, logs),
      ...retryLines,
      `  errors logged about the platforms: ${logs.filter((l) => (l.level ?? 0) >= 50).length} at error level; /metrics series about failures that moved: ${failures.length ? failures.join(", ") : "none (no metric counts failed platform sends of answers)"}`,
      `  after the run: process ${alive ? "up" : "DEAD"}; SIGTERM → exit ${stopped.code ?? stopped.signal} in ${ms(stopped.ms)}`,
      "",
    ];
    return { lines, broken: alive ? [] : ["terrinclus start died during a platform outage"] };
  } finally {
    outage(undefined);
    await app?.stop();
    await telegram.close();
    await slack.close();
    await redis.stop();
    await rm(pilotsDir, { recursive: true, force: true });
  }
}

export async function benchFaults(): Promise<BenchReport> {
  const mix = await evaluationQuestions();
  const index = await builtIndex();
  try {
    const a = await redisRestart(mix, index.dir);
    const b = await platformOutages(mix, index.dir);
    return { lines: [...a.lines, ...b.lines], broken: [...a.broken, ...b.broken] };
  } finally {
    await index.remove();
  }
}

if (isMain(import.meta.url)) printReport(await benchFaults());
