/** The BullMQ queue of the reminders: its name, its jobs' payloads (validated when read back) and their options. */
import { Queue, type ConnectionOptions, type JobsOptions } from "bullmq";
import { z } from "zod";

export const QUEUE_NAME = "pilot-reminders";

/** A reminder of one milestone at one offset (job name "reminder", id from schedule.ts). */
export const ReminderJobSchema = z.object({ pilotId: z.string(), milestoneId: z.string(), offset: z.string(), fireAt: z.number() });
/** A snoozed milestone's reminder (job name "snooze", id `s.<pilot>.<milestone>.<fireAt>`). */
export const SnoozeJobSchema = z.object({ pilotId: z.string(), milestoneId: z.string(), fireAt: z.number() });
/** A pilot's weekly digest (job name "digest", produced by the scheduler `digest.<pilot>`). */
export const DigestJobSchema = z.object({ pilotId: z.string() });

type ReminderJob = z.infer<typeof ReminderJobSchema>;
type SnoozeJob = z.infer<typeof SnoozeJobSchema>;
type DigestJob = z.infer<typeof DigestJobSchema>;
export type PilotJob = ReminderJob | SnoozeJob | DigestJob;

/** Name of the custom backoff: exponential, but never shorter than the platform's retry_after. */
const RETRY_AFTER_BACKOFF = "retry-after";

export interface QueueSettings {
  connection: ConnectionOptions;
  /** BullMQ key prefix (default "bull"). */
  prefix?: string;
  /** First retry delay of a transient failure, doubled at each attempt (default 5 s). */
  retryDelayMs?: number;
  /** Attempts before a reminder is given up (default 10: about 85 minutes of retries with 5 s). */
  attempts?: number;
}

/** The reminders' queue on the given connection (and key prefix, when set), for adding and inspecting jobs. */
export function createQueue(settings: QueueSettings): Queue<PilotJob> {
  return new Queue<PilotJob>(QUEUE_NAME, { connection: settings.connection, ...(settings.prefix ? { prefix: settings.prefix } : {}) });
}

/** Options of every delivery job: retried with backoff, removed once done (delivery records keep the history). */
export function deliveryJobOptions(settings: Pick<QueueSettings, "retryDelayMs" | "attempts">): JobsOptions {
  return {
    attempts: settings.attempts ?? 10,
    backoff: { type: RETRY_AFTER_BACKOFF, delay: settings.retryDelayMs ?? 5000 },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Snooze job id. */
export function snoozeJobId(pilotId: string, milestoneId: string, fireAt: number): string {
  return `s.${pilotId}.${milestoneId}.${fireAt}`;
}

/** Digest scheduler id of a pilot. */
export function digestSchedulerId(pilotId: string): string {
  return `digest.${pilotId}`;
}

/** When a reminder or snooze job fires, read from its id (the last dot-separated part). */
export function fireAtOfJobId(jobId: string): number {
  return Number(jobId.slice(jobId.lastIndexOf(".") + 1));
}
