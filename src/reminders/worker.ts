/**
 * The reminders' worker: takes due jobs from the queue and posts them to every channel of the pilot through the
 * platforms' Notifiers. Several workers may run at once (BullMQ gives a job to one worker at a time). Each
 * (reminder, channel) pair is delivered once: an idempotency key is written right after the platform accepts the
 * message and checked before sending, so a retried or recovered job skips the channels already served.
 */
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Logger } from "../shared/logger.js";
import { reminderLatenessSeconds, remindersFailedTotal, remindersSentTotal } from "../shared/metrics.js";
import { digestMessage } from "./digest.js";
import { reminderMessage, type PilotMessage } from "./message.js";
import { asDeliveryError, DeliveryError, planChannels, type Notifier, type Platform } from "./notifier.js";
import { Pacer, PLATFORM_RATES, type PlatformRate } from "./pacing.js";
import type { Plan } from "./plan.js";
import { DigestJobSchema, QUEUE_NAME, ReminderJobSchema, SnoozeJobSchema, type PilotJob } from "./queue.js";
import { milestoneReminders } from "./schedule.js";
import type { SheetCatalog } from "./sheets.js";
import { milestoneRef, type PilotStore } from "./store.js";

export interface ReminderWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  store: PilotStore;
  sheets: SheetCatalog;
  notifiers: Partial<Record<Platform, Notifier>>;
  logger: Logger;
  /** Jobs handled at once by this worker (default 10). */
  concurrency?: number;
  /** How long a job stays locked without renewal before another worker takes it over (default 30 s). */
  lockDurationMs?: number;
  rates?: Record<Platform, PlatformRate>;
}

/** What a processed job did, per channel (the job's return value). */
export type JobOutcome = { skipped: string } | { sent: string[]; already: string[]; failed: string[] };

/** Starts a worker; close it with `worker.close()`. */
export function startReminderWorker(options: ReminderWorkerOptions): Worker<PilotJob, JobOutcome> {
  const pacer = new Pacer(options.store.redis, options.store.namespace, options.rates ?? PLATFORM_RATES);
  const worker = new Worker<PilotJob, JobOutcome>(QUEUE_NAME, (job) => processJob(job, options, pacer), {
    connection: options.connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    concurrency: options.concurrency ?? 10,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    settings: {
      // Exponential from the job's base delay, never sooner than the platform's retry_after.
      backoffStrategy: (attemptsMade, _type, error, job) => {
        const base = typeof job?.opts.backoff === "object" ? (job.opts.backoff.delay ?? 5000) : 5000;
        const retryAfter = error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0;
        return Math.max(base * 2 ** Math.max(0, attemptsMade - 1), retryAfter);
      },
    },
  });
  worker.on("failed", (job, error) => options.logger.warn({ job: job?.id, attempts: job?.attemptsMade, err: error.message }, "reminder delivery failed"));
  worker.on("error", (error) => options.logger.error({ err: error.message }, "reminder worker"));
  return worker;
}

async function processJob(job: Job<PilotJob, JobOutcome>, options: ReminderWorkerOptions, pacer: Pacer): Promise<JobOutcome> {
  const built = await buildMessage(job, options);
  if ("skipped" in built) return built;
  // Due when its delay ran out (the job's own fire time, for reminders and snoozes).
  const dueAt = job.timestamp + (job.opts.delay ?? 0);
  return deliver(job.id!, built.plan, built.message, built.milestoneId, options, pacer, dueAt);
}

type Built = { skipped: string } | { plan: Plan; message: PilotMessage; milestoneId?: string };

/** The message a job stands for, or why it is skipped (milestone gone, moved, done, snooze replaced). */
async function buildMessage(job: Job<PilotJob, JobOutcome>, { store, sheets }: ReminderWorkerOptions): Promise<Built> {
  const now = Date.now();
  if (job.name === "digest") {
    const { pilotId } = DigestJobSchema.parse(job.data);
    const plan = await store.plan(pilotId);
    if (!plan) return { skipped: "pilot gone" };
    return { plan, message: digestMessage(plan, await store.pilotState(pilotId), now) };
  }
  const data = job.name === "snooze" ? SnoozeJobSchema.parse(job.data) : ReminderJobSchema.parse(job.data);
  const plan = await store.plan(data.pilotId);
  const milestone = plan?.milestones.find((m) => m.id === data.milestoneId);
  if (!plan || !milestone) return { skipped: "milestone gone" };
  const state = await store.milestoneState(plan.id, milestone.id);
  if (state.done) return { skipped: "milestone done" };
  if (job.name === "snooze" ? state.snooze?.jobId !== job.id : !milestoneReminders(plan, milestone).some((r) => r.jobId === job.id)) {
    return { skipped: "milestone changed" };
  }
  const message = reminderMessage(plan, milestone, sheets, now, { ref: milestoneRef(plan.id, milestone.id), reminderId: job.id! });
  return { plan, message, milestoneId: milestone.id };
}

async function deliver(reminderId: string, plan: Plan, message: PilotMessage, milestoneId: string | undefined, options: ReminderWorkerOptions, pacer: Pacer, dueAt: number): Promise<JobOutcome> {
  const { store, logger } = options;
  const outcome = { sent: [] as string[], already: [] as string[], failed: [] as string[] };
  let transient: DeliveryError | undefined;
  for (const channel of planChannels(plan.channels)) {
    const label = `${channel.platform}:${channel.id}`;
    if (await store.wasDelivered(reminderId, channel)) {
      outcome.already.push(label);
      continue;
    }
    const notifier = options.notifiers[channel.platform];
    try {
      if (!notifier) throw new DeliveryError("permanent", `no ${channel.platform} notifier configured (set its bot token)`);
      await pacer.acquire(channel);
      const delivery = await notifier.notify(channel, message);
      // The duplicate window: a crash between the platform's acceptance and this write resends to this channel.
      await store.recordDelivery(reminderId, channel, delivery.messageId);
      outcome.sent.push(label);
      remindersSentTotal.inc({ platform: channel.platform });
    } catch (raw) {
      const error = asDeliveryError(raw);
      remindersFailedTotal.inc({ platform: channel.platform, kind: error.kind });
      if (error.kind === "transient") {
        logger.warn({ reminder: reminderId, channel: label, err: error.message, retryAfterMs: error.retryAfterMs }, "transient delivery error, will retry");
        if (!transient || (error.retryAfterMs ?? 0) > (transient.retryAfterMs ?? 0)) transient = error;
        continue;
      }
      logger.error({ pilot: plan.id, reminder: reminderId, channel: label, err: error.message }, "permanent delivery error, not retried");
      await store.recordFailure(plan.id, { at: Date.now(), reminderId, ...(milestoneId ? { milestoneId } : {}), channel, message: error.message });
      // Settled for this channel: a retry caused by another channel's transient error does not try it again.
      await store.recordDelivery(reminderId, channel, "failed");
      outcome.failed.push(label);
    }
  }
  if (outcome.sent.length) reminderLatenessSeconds.observe(Math.max(0, Date.now() - dueAt) / 1000);
  if (transient) throw transient;
  if (outcome.failed.length && !outcome.sent.length && !outcome.already.length) throw new UnrecoverableError(`every channel refused ${reminderId}`);
  return outcome;
}
