/**
 * Load: the real `terrinclus start` process (Telegram webhook and Slack HTTP receiver on one port, a Redis of its
 * own, extractive answers) fed questions at a steady rate, half as Telegram webhook updates, half as signed Slack
 * events, answering through local platform servers (Telegram's 30 messages per second per bot enforced). Per
 * question: request sent → reply at the platform server. Prints figures; asserts nothing; the run is broken only
 * when the process dies or replies are lost.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeSlack } from "../test/support/slack-server.js";
import { FakeTelegram } from "../test/support/telegram-server.js";
import { AppProcess, builtIndex, freePort } from "./app-process.js";
import { AUDIENCE, CHANNELS_LISTENING, drain, firstReplyMs, outcomeCounts, productEnv, sendSteadily, spread, trafficPlan, type Sent } from "./platform-traffic.js";
import { PrivateRedis } from "./private-redis.js";
import { evaluationQuestions } from "./question-mix.js";
import { isMain, printReport, type BenchReport } from "./report.js";
import { mb, ms } from "./stats.js";

export interface LoadOptions {
  /** Questions in all (half per platform). */
  questions?: number;
  /** Questions per second, both platforms together. */
  rate?: number;
}

/** Telegram's bot-wide limit on sendMessage, enforced by the local Bot API server. */
export const TELEGRAM_SENDS_PER_SECOND = 30;
/** The first seconds of a run, while the process is cold (JIT, caches), reported apart. */
const WARM_UP_MS = 10_000;
/** After the last question: how long replies may still arrive. */
const DRAIN_MS = 30_000;

export async function benchLoad(options: LoadOptions = {}): Promise<BenchReport> {
  const count = options.questions ?? 2000;
  const rate = options.rate ?? 10;
  const mix = await evaluationQuestions();
  const index = await builtIndex();
  const redis = await PrivateRedis.start();
  const telegram = await FakeTelegram.start({ sendRate: { perSecond: TELEGRAM_SENDS_PER_SECOND } });
  const slack = await FakeSlack.start();
  const pilotsDir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-nopilots-"));
  const port = await freePort();
  let app: AppProcess | undefined;
  try {
    const spawnedAt = Date.now();
    app = await AppProcess.start(productEnv({ telegram, slack, redisUrl: redis.url, indexDir: index.dir, pilotsDir }), port, CHANNELS_LISTENING);
    const readyMs = Date.now() - spawnedAt;
    const before = await app.metrics();
    const sent = await sendSteadily(trafficPlan(count, mix, telegram, slack), rate, `http://127.0.0.1:${port}`);
    await drain(sent, telegram, slack, DRAIN_MS);
    const alive = app.alive;
    const after = alive ? await app.metrics() : new Map<string, number>();
    const stopped = await app.stop();
    app = undefined;
    return report({ sent, rate, mix: mix.length, readyMs, telegram, slack, before, after, alive, stopped });
  } finally {
    await app?.stop();
    await telegram.close();
    await slack.close();
    await redis.stop();
    await index.remove();
    await rm(pilotsDir, { recursive: true, force: true });
  }
}

/** Count, mean and share under a bound of a Prometheus histogram read from `/metrics`. */
function histogram(metrics: Map<string, number>, name: string, labels: string): { count: number; mean: number; under: (le: string) => number } {
  const count = metrics.get(`${name}_count{${labels}}`) ?? 0;
  const sum = metrics.get(`${name}_sum{${labels}}`) ?? 0;
  return { count, mean: count ? sum / count : 0, under: (le) => (count ? (metrics.get(`${name}_bucket{le="${le}",${labels}}`) ?? 0) / count : 0) };
}

interface ReportInput {
  sent: Sent[];
  rate: number;
  mix: number;
  readyMs: number;
  telegram: FakeTelegram;
  slack: FakeSlack;
  before: Map<string, number>;
  after: Map<string, number>;
  alive: boolean;
  stopped: { code: number | null; signal: NodeJS.Signals | null; ms: number };
}

function report(r: ReportInput): BenchReport {
  const first = r.sent[0]!.sentAt;
  const lastSend = r.sent.at(-1)!.sentAt;
  const answered = r.sent.filter((s) => s.replies.length);
  const lastReply = Math.max(lastSend, ...answered.map((s) => Math.max(...s.replies)));
  const lines = [
    `load: ${r.sent.length} questions (${r.mix} distinct, French and English) at ${r.rate}/s; half Telegram webhook updates (${AUDIENCE.telegramPrivate} private chats, ${AUDIENCE.telegramGroups} groups with mentions),`,
    `  half signed Slack events (${AUDIENCE.slackDirect} direct-message channels: message.im; ${AUDIENCE.slackChannels} channels: app_mention); the real \`terrinclus start\` process, extractive answers,`,
    `  a Redis of its own, local platform servers (Telegram: ${TELEGRAM_SENDS_PER_SECOND} sendMessage per second per bot enforced); ready ${ms(r.readyMs)} after spawn`,
    `  sent over ${ms(lastSend - first)}; last reply ${ms(lastReply - first)} after the first question → ${((answered.length / (lastReply - first)) * 1000).toFixed(1)} answered questions/s`,
  ];
  for (const platform of ["telegram", "slack", undefined] as const) {
    const mine = r.sent.filter((s) => !platform || s.platform === platform);
    const replied = mine.filter((s) => s.replies.length);
    const toFirst = spread(replied.map(firstReplyMs));
    const toLast = spread(replied.map((s) => Math.max(...s.replies) - s.sentAt));
    const posts = spread(mine.filter((s) => s.delivery).map((s) => s.delivery!.ms));
    const split = replied.filter((s) => s.replies.length > 1).length;
    const postNote = platform === "telegram" ? " (grammY's webhook answers once the update is handled)" : platform === "slack" ? " (Bolt acknowledges before handling)" : "";
    lines.push(
      `  ${(platform ?? "both").padEnd(8)} ${String(mine.length).padStart(4)} questions | sent → first reply message: p50 ${ms(toFirst.p50)}, p95 ${ms(toFirst.p95)}, p99 ${ms(toFirst.p99)}, max ${ms(toFirst.max)}`,
      `  ${"".padEnd(23)}| sent → last message (${split} replies in several messages): p50 ${ms(toLast.p50)}, p99 ${ms(toLast.p99)}, max ${ms(toLast.max)}`,
      `  ${"".padEnd(23)}| HTTP answer to the POST: p50 ${ms(posts.p50)}, p99 ${ms(posts.p99)}${postNote}`,
    );
  }
  const warm = spread(answered.filter((s) => s.sentAt - first >= WARM_UP_MS).map(firstReplyMs));
  const slow = answered.filter((s) => firstReplyMs(s) > 200);
  lines.push(
    `  after the first ${WARM_UP_MS / 1000} s (cold start left out): p50 ${ms(warm.p50)}, p95 ${ms(warm.p95)}, p99 ${ms(warm.p99)}, max ${ms(warm.max)};` +
      ` over 200 ms: ${slow.length} question(s), ${slow.filter((s) => s.sentAt - first < WARM_UP_MS).length} of them in the first ${WARM_UP_MS / 1000} s`,
  );
  const outcomes = outcomeCounts(r.sent);
  const failedPosts = r.sent.filter((s) => !s.delivery || s.delivery.status < 200 || s.delivery.status > 299);
  const rejectedTelegram = r.telegram.calls.filter((c) => c.status >= 400 && c.status !== 429);
  const tooMany = r.telegram.calls.filter((c) => c.status === 429).length;
  const refusedSlack = r.slack.refused();
  lines.push(
    `  outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `  errors: ${failedPosts.length} non-2xx or failed POSTs${failedPosts[0] ? ` (first: ${failedPosts[0].delivery?.status ?? "none"} ${failedPosts[0].delivery?.error ?? ""})` : ""};` +
      ` platform rejections: Telegram ${rejectedTelegram.length}${rejectedTelegram[0] ? ` (${rejectedTelegram[0].method} ${rejectedTelegram[0].status})` : ""}, Slack ${refusedSlack.length}${refusedSlack[0] ? ` (${refusedSlack[0].error})` : ""};` +
      ` Telegram 429 (flood control) ${tooMany}; Slack warnings ${r.slack.violations.length}`,
  );
  for (const channel of ["telegram", "slack"]) {
    const h = histogram(r.after, "terrinclus_answer_duration_seconds", `channel="${channel}"`);
    if (h.count) lines.push(`  inside the process (${channel}, /metrics): ${h.count} answers, mean ${ms(h.mean * 1000)}, ${(h.under("0.1") * 100).toFixed(1)}% ≤ 100 ms, ${(h.under("0.2") * 100).toFixed(1)}% ≤ 200 ms`);
  }
  const cpu = (r.after.get("terrinclus_process_cpu_seconds_total") ?? 0) - (r.before.get("terrinclus_process_cpu_seconds_total") ?? 0);
  if (cpu > 0) {
    const lag = (name: string) => ms((r.after.get(`terrinclus_nodejs_eventloop_lag_${name}_seconds`) ?? 0) * 1000);
    lines.push(
      `  CPU of the process: ${ms((cpu * 1000) / r.sent.length)} per question (${cpu.toFixed(1)} s in all); event loop lag p99 ${lag("p99")}, max ${lag("max")}; machine load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${os.cpus().length} CPUs`,
    );
  }
  const slowest = [...answered].sort((a, b) => firstReplyMs(b) - firstReplyMs(a)).slice(0, 3);
  lines.push(`  slowest: ${slowest.map((s) => `${ms(firstReplyMs(s))} (${s.platform}, ${s.question.text.length} chars, sent at +${ms(s.sentAt - first)})`).join("; ")}`);
  const rss = r.after.get("terrinclus_process_resident_memory_bytes");
  if (rss) lines.push(`  resident memory of the process after the run: ${mb(rss)}`);
  lines.push(`  SIGTERM → exit ${r.stopped.code ?? r.stopped.signal} in ${ms(r.stopped.ms)}`, "");
  const broken = [...(r.alive ? [] : ["terrinclus start died during the load"]), ...(outcomes.get("missing") ? [`${outcomes.get("missing")} question(s) never answered`] : [])];
  return { lines, broken };
}

if (isMain(import.meta.url)) printReport(await benchLoad());
