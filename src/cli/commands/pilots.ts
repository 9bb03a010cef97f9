/** `terrinclus pilots new|check|sync|status` and `terrinclus worker`: pilot plans and their reminders. */
import type { ReadinessCheck } from "../../channels/http-server.js";
import { setMetricsQueue } from "../../shared/metrics.js";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { IANAZone, DateTime } from "luxon";
import type { Config } from "../../config/config.js";
import type { Service } from "../../channels/service.js";
import { TelegramNotifier } from "../../channels/telegram/reminders.js";
import type { Logger } from "../../shared/logger.js";
import { formatPlanError, loadPlans, type PlansResult } from "../../reminders/load-plans.js";
import type { Notifier, Platform } from "../../reminders/notifier.js";
import { SLUG, dueDateTime, type Plan } from "../../reminders/plan.js";
import { openReminders, type RemindersRuntime } from "../../reminders/runtime.js";
import { planReminders } from "../../reminders/schedule.js";
import { SheetCatalog } from "../../reminders/sheets.js";
import { describeDiff, syncQueue } from "../../reminders/sync.js";
import { SlackNotifier } from "../../channels/slack/reminders.js";
import { loadPlanTemplate, renderNewPlan } from "../../reminders/template.js";
import { startReminderWorker } from "../../reminders/worker.js";

const out = (line = "") => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
/** Prints why the command failed; returns the exit status 1. */
const fail = (line: string): number => {
  err(line);
  return 1;
};
const pilotsDir = (config: Config) => path.resolve(config.PILOTS_DIR);

async function readPlans(config: Config): Promise<{ sheets: SheetCatalog; result: PlansResult }> {
  const sheets = await SheetCatalog.load(config.KNOWLEDGE_DIR);
  return { sheets, result: await loadPlans(pilotsDir(config), sheets.ids()) };
}

function localTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

export interface NewPlanCliOptions {
  start: string;
  months: number;
  timezone?: string;
  lang?: "fr" | "en";
  force?: boolean;
}

/** `pilots new <id>`: writes `<PILOTS_DIR>/<id>.yaml` from the template; never overwrites without --force. */
export async function runPilotsNew(config: Config, id: string, options: NewPlanCliOptions): Promise<number> {
  if (!SLUG.test(id)) return fail(`pilot id "${id}": lowercase letters, digits and dashes`);
  const timezone = options.timezone ?? "Europe/Paris";
  if (!IANAZone.isValidZone(timezone)) return fail(`unknown IANA time zone "${timezone}" (e.g. Europe/Paris, Indian/Reunion)`);
  const sheets = await SheetCatalog.load(config.KNOWLEDGE_DIR);
  const template = await loadPlanTemplate(config.KNOWLEDGE_DIR, sheets.ids());
  const text = renderNewPlan(template, { id, start: options.start, months: options.months, timezone, lang: options.lang ?? "fr" });
  const file = path.join(pilotsDir(config), `${id}.yaml`);
  if (existsSync(file) && !options.force) return fail(`${file} exists (use --force to overwrite)`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  out(`written ${path.relative(process.cwd(), file)}: add the team's chats under channels, check the proposed dates, then run terrinclus pilots check`);
  return 0;
}

/** `pilots check`: validates every plan and prints its upcoming reminders in the pilot's local time. */
export async function runPilotsCheck(config: Config, options: { json?: boolean; limit?: number } = {}): Promise<number> {
  const { result } = await readPlans(config);
  const now = Date.now();
  if (options.json) {
    const plans = result.plans.map(({ file, plan }) => ({
      file,
      id: plan.id,
      timezone: plan.timezone,
      upcoming: planReminders(plan, now).map((r) => ({ milestone: r.milestoneId, offset: r.offset, at: DateTime.fromMillis(r.fireAt, { zone: plan.timezone }).toISO() })),
    }));
    out(JSON.stringify({ ok: result.errors.length === 0, errors: result.errors, plans }));
    return result.errors.length ? 1 : 0;
  }
  for (const e of result.errors) out(`✗ ${formatPlanError(e)}`);
  for (const { file, plan } of result.plans) {
    const upcoming = planReminders(plan, now);
    out(`✓ ${path.relative(process.cwd(), file)}: ${plan.name} (${plan.timezone}), ${plan.milestones.length} milestone(s), ${upcoming.length} upcoming reminder(s)`);
    for (const r of upcoming.slice(0, options.limit ?? 10))
      out(`    ${localTime(r.fireAt, plan.timezone)}  ${r.milestoneId} (${r.offset} before ${DateTime.fromISO(r.dueAt, { setZone: true }).toFormat("yyyy-MM-dd HH:mm")})`);
    if (upcoming.length > (options.limit ?? 10)) out(`    … ${upcoming.length - (options.limit ?? 10)} more`);
  }
  if (!result.plans.length && !result.errors.length) out(`no plan in ${pilotsDir(config)} (create one with terrinclus pilots new <id> --start <date> --months <n>)`);
  return result.errors.length ? 1 : 0;
}

function requireRedis(config: Config): string {
  if (!config.REDIS_URL) throw new Error("REDIS_URL is required: reminders are queued in Redis.");
  return config.REDIS_URL;
}

/** `pilots sync [--dry-run]`: makes the queue match the plans; refuses to run while any plan is invalid. */
export async function runPilotsSync(config: Config, options: { dryRun?: boolean } = {}): Promise<number> {
  const { result } = await readPlans(config);
  if (result.errors.length) {
    for (const e of result.errors) err(`✗ ${formatPlanError(e)}`);
    err("nothing synced: fix the plans first (a plan left out would have its reminders removed)");
    return 1;
  }
  const runtime = await openReminders(requireRedis(config));
  try {
    const plans = result.plans.map((p) => p.plan);
    const started = Date.now();
    const diff = await syncQueue({ queue: runtime.queue, store: runtime.store, plans, dryRun: options.dryRun });
    for (const line of describeDiff(diff, plans)) out(line);
    const verb = options.dryRun ? "would add" : "added";
    out(
      `${plans.length} pilot(s): ${verb} ${diff.add.length + diff.restoreSnoozes.length}, ${options.dryRun ? "would remove" : "removed"} ${diff.remove.length}, unchanged ${diff.unchanged} (${Date.now() - started} ms)`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

/** `pilots status`: each synced pilot's milestones with done / snoozed state, next reminder and delivery errors. */
export async function runPilotsStatus(config: Config, options: { json?: boolean } = {}): Promise<number> {
  const runtime = await openReminders(requireRedis(config));
  try {
    const now = Date.now();
    const queued = new Set(await runtime.queue.getRanges(["delayed", "waiting", "prioritized"], 0, -1));
    const report = [];
    for (const plan of (await runtime.store.plans()).sort((a, b) => a.id.localeCompare(b.id))) {
      report.push(await pilotStatus(runtime, plan, queued, now));
    }
    if (options.json) out(JSON.stringify({ pilots: report }));
    else printStatus(report);
    if (!report.length) err("no synced pilot: run terrinclus pilots sync");
    return 0;
  } finally {
    await runtime.close();
  }
}

async function pilotStatus(runtime: RemindersRuntime, plan: Plan, queued: Set<string>, now: number) {
  const states = await runtime.store.pilotState(plan.id);
  const upcoming = planReminders(plan, now);
  const milestones = plan.milestones.map((m) => {
    const state = states.get(m.id) ?? {};
    const next = upcoming.find((r) => r.milestoneId === m.id);
    return {
      id: m.id,
      title: m.title,
      due: dueDateTime(m, plan.timezone).toISO(),
      state: state.done ? "done" : state.snooze && state.snooze.until > now ? "snoozed" : "open",
      ...(state.done ? { doneAt: new Date(state.done.at).toISOString() } : {}),
      ...(state.snooze && !state.done ? { snoozedUntil: DateTime.fromMillis(state.snooze.until, { zone: plan.timezone }).toISO() } : {}),
      ...(next && !state.done ? { nextReminder: DateTime.fromMillis(next.fireAt, { zone: plan.timezone }).toISO(), queued: queued.has(next.jobId) } : {}),
    };
  });
  const failures = (await runtime.store.failures(plan.id)).map((f) => ({ ...f, at: new Date(f.at).toISOString() }));
  return { id: plan.id, name: plan.name, timezone: plan.timezone, milestones, failures };
}

function printStatus(report: Awaited<ReturnType<typeof pilotStatus>>[]): void {
  for (const pilot of report) {
    out(`${pilot.id}: ${pilot.name} (${pilot.timezone})`);
    for (const m of pilot.milestones) {
      const detail =
        m.state === "done"
          ? `done ${m.doneAt}`
          : m.state === "snoozed"
            ? `snoozed until ${m.snoozedUntil}`
            : m.nextReminder
              ? `next reminder ${m.nextReminder}${m.queued ? "" : " (not queued: run pilots sync)"}`
              : "no reminder left";
      out(`  ${m.state === "done" ? "✓" : "•"} ${m.id}  due ${m.due}  ${detail}`);
    }
    for (const f of pilot.failures.slice(0, 10)) out(`  ✗ ${f.at} ${f.channel.platform}:${f.channel.id} ${f.milestoneId ?? f.reminderId}: ${f.message} (not retried)`);
  }
}

/** The notifiers the configuration allows: Telegram when TELEGRAM_BOT_TOKEN is set, Slack when SLACK_BOT_TOKEN is. */
export function configuredNotifiers(config: Config): Partial<Record<Platform, Notifier>> {
  return {
    ...(config.TELEGRAM_BOT_TOKEN ? { telegram: new TelegramNotifier(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT) } : {}),
    ...(config.SLACK_BOT_TOKEN ? { slack: new SlackNotifier(config.SLACK_BOT_TOKEN, config.SLACK_API_URL) } : {}),
  };
}

/**
 * The reminders' worker as a service (for `terrinclus worker` and `npm start`). With `shared`, it uses that
 * runtime (the one the bots act on) and leaves closing it to its owner; otherwise it opens and closes its own.
 * `stop()` closes the worker: jobs in progress finish first, so none is lost.
 */
export function reminderWorkerService(config: Config, logger: Logger, shared?: RemindersRuntime): Service & { readiness: ReadinessCheck } {
  let stop: (() => Promise<void>) | undefined;
  let running: { worker: { isRunning(): boolean }; redis: { status: string } } | undefined;
  return {
    name: "reminder worker",
    /** Not ready until started, when the worker stopped or its Redis connection is not ready. */
    readiness() {
      if (!running?.worker.isRunning()) return "the reminder worker is not running";
      if (running.redis.status !== "ready") return `the reminder worker's Redis connection is ${running.redis.status}`;
      return undefined;
    },
    async start() {
      const runtime = shared ?? (await openReminders(requireRedis(config)));
      try {
        const sheets = await SheetCatalog.load(config.KNOWLEDGE_DIR);
        const notifiers = configuredNotifiers(config);
        const worker = startReminderWorker({ connection: runtime.redis, store: runtime.store, sheets, notifiers, logger });
        await worker.waitUntilReady();
        running = { worker, redis: runtime.redis };
        setMetricsQueue(runtime.queue);
        logger.info({ platforms: Object.keys(notifiers) }, "reminder worker started");
        stop = async () => {
          running = undefined;
          setMetricsQueue(undefined);
          await worker.close();
          logger.info("reminder worker stopped");
          if (!shared) await runtime.close();
        };
      } catch (error) {
        if (!shared) await runtime.close();
        throw error;
      }
    },
    async stop() {
      await stop?.();
      stop = undefined;
    },
  };
}
