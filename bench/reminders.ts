/**
 * Reminders: `pilots sync` on generated plans (first run, no-change run), then a burst of reminders due at the same
 * second delivered by the real worker through a local Bot API server that enforces Telegram's 30 messages per
 * second per bot, and a local Slack Web API server. Real Redis, under a BullMQ prefix and key namespace of its own,
 * deleted afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Job } from "bullmq";
import { DateTime } from "luxon";
import YAML from "yaml";
import { TelegramNotifier } from "../src/channels/telegram/reminders.js";
import { loadPlans } from "../src/reminders/load-plans.js";
import { SlackNotifier } from "../src/channels/slack/reminders.js";
import { PLATFORM_RATES } from "../src/reminders/pacing.js";
import { PlanSchema } from "../src/reminders/plan.js";
import { openReminders } from "../src/reminders/runtime.js";
import { SheetCatalog } from "../src/reminders/sheets.js";
import { syncQueue } from "../src/reminders/sync.js";
import { startReminderWorker } from "../src/reminders/worker.js";
import { createLogger } from "../src/shared/logger.js";
import { FakeSlack } from "../test/support/slack-server.js";
import { FakeTelegram } from "../test/support/telegram-server.js";
import { deleteKeys } from "./redis-keys.js";
import { ms, percentile, timed } from "./stats.js";

const ZONES = ["Europe/Paris", "Indian/Reunion", "Africa/Casablanca", "America/Port-au-Prince", "Asia/Ho_Chi_Minh"];
const TELEGRAM_RATE = 30;

export interface RemindersBenchOptions {
  redisUrl: string;
  pilots?: number;
  milestones?: number;
  burst?: number;
}

const isolation = (part: string) => {
  const id = `${part}-${process.pid}-${randomBytes(3).toString("hex")}`;
  return { prefix: `terrinclus-bench-q-${id}`, namespace: `terrinclus-bench:${id}` };
};

async function cleanup(runtime: Awaited<ReturnType<typeof openReminders>>, names: { prefix: string; namespace: string }): Promise<number> {
  const deleted = (await deleteKeys(runtime.redis, `${names.prefix}:*`)) + (await deleteKeys(runtime.redis, `${names.namespace}:*`));
  await runtime.close();
  return deleted;
}

/** Plan files of `pilots` pilots with `milestones` future milestones each (half date-only, half with a local time). */
async function writePlans(dir: string, pilots: number, milestones: number, sheetIds: string[]): Promise<void> {
  const today = DateTime.now().startOf("day");
  for (let p = 0; p < pilots; p++) {
    const start = today.plus({ days: 30 + (p % 60) });
    const plan = {
      id: `bench-pilot-${String(p).padStart(4, "0")}`,
      name: `Pilote de banc ${p}`,
      timezone: ZONES[p % ZONES.length],
      lang: p % 3 === 0 ? "en" : "fr",
      channels: { telegram: [-1_000_000_000_000 - p], slack: [`C0BENCH${String(p).padStart(4, "0")}`] },
      milestones: Array.from({ length: milestones }, (_, m) => {
        const due = start.plus({ days: 45 * m });
        return { id: `jalon-${m + 1}`, title: `Jalon ${m + 1}`, due: m % 2 ? `${due.toISODate()}T14:30:00` : due.toISODate(), sheet: sheetIds[(p + m) % sheetIds.length] };
      }),
    };
    await writeFile(path.join(dir, `${plan.id}.yaml`), YAML.stringify(plan));
  }
}

async function benchSync(options: RemindersBenchOptions, sheets: SheetCatalog, pilots: number, milestones: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-pilots-"));
  const names = isolation("sync");
  const runtime = await openReminders(options.redisUrl, names);
  try {
    await writePlans(dir, pilots, milestones, [...sheets.ids()].sort());
    const [loaded, loadMs] = await timed(() => loadPlans(dir, sheets.ids()));
    if (loaded.errors.length) throw new Error(`generated plans refused: ${JSON.stringify(loaded.errors[0])}`);
    const plans = loaded.plans.map((p) => p.plan);
    const [first, firstMs] = await timed(() => syncQueue({ queue: runtime.queue, store: runtime.store, plans }));
    const [again, againMs] = await timed(() => syncQueue({ queue: runtime.queue, store: runtime.store, plans }));
    const jobs = await runtime.queue.getDelayedCount();
    return [
      `pilots sync, ${pilots} pilots × ${milestones} milestones (default offsets P14D P7D P1D P0D), ${loaded.plans.length} plan files:`,
      `  read + validate the plan files   ${ms(loadMs)}`,
      `  first sync                       ${ms(firstMs)}  (added ${first.add.length} reminders, ${first.upsertDigests.length} digest schedulers; ${jobs} delayed jobs in the queue)`,
      `  no-change sync                   ${ms(againMs)}  (added ${again.add.length}, removed ${again.remove.length}, unchanged ${again.unchanged}, digests touched ${again.upsertDigests.length})`,
    ];
  } finally {
    await cleanup(runtime, names);
    await rm(dir, { recursive: true, force: true });
  }
}

/** `burst` pilots, each with one milestone due at the same second (offset P0D), one Telegram chat and one Slack channel. */
async function benchBurst(options: RemindersBenchOptions, sheets: SheetCatalog, burst: number, window: "sliding" | "second", brief = false): Promise<string[]> {
  const telegram = await FakeTelegram.start({ sendRate: { perSecond: TELEGRAM_RATE, window } });
  const slack = await FakeSlack.start();
  const names = isolation("burst");
  const runtime = await openReminders(options.redisUrl, names);
  const sheetIds = [...sheets.ids()].sort();
  try {
    const dueAt = Math.ceil((Date.now() + 6000) / 1000) * 1000;
    const burstPlans = Array.from({ length: burst }, (_, p) => {
      const zone = ZONES[p % ZONES.length]!;
      const chat = -1_000_000_000_000 - p;
      telegram.addChat(chat, "supergroup");
      return {
        id: `bench-burst-${String(p).padStart(4, "0")}`,
        name: `Pilote ${p}`,
        timezone: zone,
        lang: "fr" as const,
        channels: { telegram: [chat], slack: [`C0BURST${String(p).padStart(4, "0")}`] },
        remind: ["P0D"],
        milestones: [{ id: "copil-1", title: "Premier comité de pilotage", due: DateTime.fromMillis(dueAt, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss"), sheet: sheetIds[p % sheetIds.length]! }],
      };
    });
    const diff = await syncQueue({ queue: runtime.queue, store: runtime.store, plans: burstPlans.map((p) => PlanSchema.parse(p)) });
    if (diff.add.length !== burst || diff.add.some((r) => r.fireAt !== dueAt)) throw new Error("the burst's reminders are not all due at the same second");

    const started = new Map<string, number>();
    const worker = startReminderWorker({
      connection: runtime.redis,
      prefix: names.prefix,
      store: runtime.store,
      sheets,
      logger: createLogger("silent"),
      notifiers: { telegram: new TelegramNotifier(telegram.token, telegram.apiRoot), slack: new SlackNotifier(slack.botToken, slack.apiUrl) },
    });
    worker.on("active", (job: Job) => {
      if (job.name === "reminder" && !started.has(job.id!)) started.set(job.id!, job.processedOn ?? Date.now());
    });
    await worker.waitUntilReady();
    const tgSent = () => telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 200);
    const deadline = dueAt + 150_000;
    while (tgSent().length < burst || slack.posts.length < burst) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await worker.close();

    const tg = tgSent()
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const sl = slack.posts.map((p) => p.at).sort((a, b) => a - b);
    const refused429 = telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 429).length;
    const otherErrors = telegram.calls.filter((c) => c.method === "sendMessage" && c.status !== 200 && c.status !== 429).length + slack.refused().length;
    const lateness = [...started.values()].map((t) => t - dueAt);
    const late = (times: number[]) => times.map((t) => t - dueAt);
    /** Median of the per-wall-clock-second counts, first and last (partial) seconds left out. */
    const rate = (times: number[]) => {
      const counts = new Map<number, number>();
      for (const t of times) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
      const seconds = [...counts.keys()].sort((a, b) => a - b);
      const full = [];
      for (let second = seconds[0]! + 1; second < seconds.at(-1)!; second++) full.push(counts.get(second) ?? 0);
      return full.length ? percentile(full, 50) : times.length;
    };
    const overall = (times: number[]) => (times.length / Math.max(1, times.at(-1)! - dueAt)) * 1000;
    const peak = (times: number[]) => {
      let best = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1000) j++;
        best = Math.max(best, i - j + 1);
      }
      return best;
    };
    const complete = tg.length >= burst && sl.length >= burst;
    const limit = window === "sliding" ? `refusing over ${TELEGRAM_RATE} sendMessage in any 1,000 ms` : `refusing over ${TELEGRAM_RATE} sendMessage per wall-clock second`;
    const rates = [
      `  Telegram send rate (${limit}): median ${rate(tg)} messages per full second, ${overall(tg).toFixed(1)}/s from due to last, peak ${peak(tg)} accepted in any 1 s, ${refused429} answered 429; last delivered ${ms(Math.max(...late(tg)))} after due`,
      `  Slack send rate                  median ${rate(sl)} messages per full second, ${overall(sl).toFixed(1)}/s from due to last, peak ${peak(sl)} in any 1 s`,
      ...(otherErrors ? [`  other refused sends: ${otherErrors}`] : []),
      ...(complete ? [] : [`  INCOMPLETE: gave up ${ms(deadline - dueAt)} after the due time`]),
    ];
    if (brief) return [`${burst} more reminders due at the same second, same set-up, the local Bot API server ${limit}:`, ...rates];
    return [
      `${burst} reminders due at the same second (${burst} pilots, each one Telegram chat and one Slack channel; one worker, default concurrency and rates: Telegram ${PLATFORM_RATES.telegram.perSecond}/s, Slack ${PLATFORM_RATES.slack.perSecond}/s, 1/s per chat):`,
      `  due → job start                  p50 ${ms(percentile(lateness, 50))}, p99 ${ms(percentile(lateness, 99))} (first ${ms(Math.min(...lateness))}, ${lateness.length} jobs started)`,
      `  due → delivered, Telegram        p50 ${ms(percentile(late(tg), 50))}, p99 ${ms(percentile(late(tg), 99))}, last ${ms(Math.max(...late(tg)))} (${tg.length}/${burst})`,
      `  due → delivered, Slack           p50 ${ms(percentile(late(sl), 50))}, p99 ${ms(percentile(late(sl), 99))}, last ${ms(Math.max(...late(sl)))} (${sl.length}/${burst})`,
      ...rates,
    ];
  } finally {
    await cleanup(runtime, names);
    await telegram.close();
    await slack.close();
  }
}

export async function benchReminders(options: RemindersBenchOptions): Promise<void> {
  const pilots = options.pilots ?? 1000;
  const milestones = options.milestones ?? 12;
  const burst = options.burst ?? 1000;
  const started = Date.now();
  const sheets = await SheetCatalog.load(path.resolve("knowledge"));
  const lines = ["reminders (real sync code and worker, Redis on loopback, isolated prefix deleted afterwards)"];
  if (pilots !== 1000 || milestones !== 12 || burst !== 1000) lines.push(`  NOTE: scaled down from 1,000 pilots × 12 milestones and 1,000 reminders: ${pilots} × ${milestones}, ${burst}`);
  lines.push(...(await benchSync(options, sheets, pilots, milestones)));
  lines.push(...(await benchBurst(options, sheets, burst, "sliding")));
  lines.push(...(await benchBurst(options, sheets, Math.min(burst, 200), "second", true)));
  lines.push(`  (reminders part: ${ms(Date.now() - started)} in all)`);
  console.log(`${lines.join("\n")}\n`);
}
