/**
 * `pilots sync`: makes the queue match the plans. One delayed job per future reminder (deterministic id, so
 * nothing is added twice); future jobs of changed, moved, done or deleted milestones removed; snoozes restored
 * from the stored state; one weekly digest scheduler per pilot. Running it twice changes nothing.
 */
import type { Queue } from "bullmq";
import { DateTime } from "luxon";
import type { Plan } from "./plan.js";
import { deliveryJobOptions, digestSchedulerId, fireAtOfJobId, type PilotJob, type QueueSettings } from "./queue.js";
import { planReminders, type ReminderSpec } from "./schedule.js";
import type { PilotStore } from "./store.js";
import { remindersScheduledTotal } from "../shared/metrics.js";

/** Monday 09:00 in the pilot's zone. */
const DIGEST_PATTERN = "0 9 * * 1";

const PENDING = ["delayed", "waiting", "prioritized"] as const;

export interface SyncDiff {
  /** Reminders to add (future, not yet queued). */
  add: ReminderSpec[];
  /** Job ids to remove: future reminders or snoozes no plan asks for any more. */
  remove: string[];
  /** Reminders already queued as they should be. */
  unchanged: number;
  /** Snoozes restored from the stored state (after Redis lost the queue). */
  restoreSnoozes: Array<{ pilotId: string; milestoneId: string; jobId: string; fireAt: number }>;
  /** Digest schedulers to create or update, and to remove (pilots gone). */
  upsertDigests: string[];
  removeDigests: string[];
}

export interface SyncOptions {
  queue: Queue<PilotJob>;
  store: PilotStore;
  plans: Plan[];
  now?: number;
  dryRun?: boolean;
  jobs?: Pick<QueueSettings, "retryDelayMs" | "attempts">;
}

/** Computes the difference and, unless `dryRun`, applies it. */
export async function syncQueue(options: SyncOptions): Promise<SyncDiff> {
  const { queue, store, plans } = options;
  const now = options.now ?? Date.now();
  const pending = new Set(await queue.getRanges([...PENDING], 0, -1));
  const desired = new Map<string, ReminderSpec>();
  const wantedSnoozes = new Set<string>();
  const restoreSnoozes: SyncDiff["restoreSnoozes"] = [];
  for (const plan of plans) {
    const states = await store.pilotState(plan.id);
    for (const reminder of planReminders(plan, now)) {
      if (!states.get(reminder.milestoneId)?.done) desired.set(reminder.jobId, reminder);
    }
    for (const [milestoneId, state] of states) {
      if (state.done || !state.snooze || state.snooze.until <= now || !plan.milestones.some((m) => m.id === milestoneId)) continue;
      wantedSnoozes.add(state.snooze.jobId);
      if (!pending.has(state.snooze.jobId)) restoreSnoozes.push({ pilotId: plan.id, milestoneId, jobId: state.snooze.jobId, fireAt: state.snooze.until });
    }
  }
  // Jobs already due are left to the worker, which drops them if their milestone changed: removing them could lose a reminder.
  const remove = [...pending].filter((id) => (id.startsWith("r.") && !desired.has(id)) || (id.startsWith("s.") && !wantedSnoozes.has(id))).filter((id) => fireAtOfJobId(id) > now);
  const add = [...desired.values()].filter((r) => !pending.has(r.jobId));
  const digests = await digestDiff(queue, plans);
  const diff: SyncDiff = { add, remove, unchanged: desired.size - add.length, restoreSnoozes, ...digests };
  if (!options.dryRun) await apply(diff, options, now);
  return diff;
}

async function digestDiff(queue: Queue<PilotJob>, plans: Plan[]): Promise<Pick<SyncDiff, "upsertDigests" | "removeDigests">> {
  const existing = new Map((await queue.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith("digest.")).map((s) => [s.key, s]));
  const wanted = new Map(plans.map((p) => [digestSchedulerId(p.id), p]));
  return {
    upsertDigests: [...wanted].filter(([id, plan]) => existing.get(id)?.tz !== plan.timezone || existing.get(id)?.pattern !== DIGEST_PATTERN).map(([id]) => id),
    removeDigests: [...existing.keys()].filter((id) => !wanted.has(id)),
  };
}

async function apply(diff: SyncDiff, options: SyncOptions, now: number): Promise<void> {
  const { queue, store, plans } = options;
  const opts = deliveryJobOptions(options.jobs ?? {});
  await store.savePlans(plans);
  for (const id of diff.remove) await queue.remove(id);
  for (let i = 0; i < diff.add.length; i += 1000) {
    await queue.addBulk(
      diff.add.slice(i, i + 1000).map((r) => ({
        name: "reminder",
        data: { pilotId: r.pilotId, milestoneId: r.milestoneId, offset: r.offset, fireAt: r.fireAt },
        opts: { ...opts, jobId: r.jobId, delay: Math.max(0, r.fireAt - now) },
      })),
    );
  }
  if (diff.add.length) remindersScheduledTotal.inc({ kind: "reminder" }, diff.add.length);
  for (const s of diff.restoreSnoozes) {
    await queue.add("snooze", { pilotId: s.pilotId, milestoneId: s.milestoneId, fireAt: s.fireAt }, { ...opts, jobId: s.jobId, delay: Math.max(0, s.fireAt - now) });
    remindersScheduledTotal.inc({ kind: "snooze" });
  }
  const byId = new Map(plans.map((p) => [digestSchedulerId(p.id), p]));
  for (const id of diff.upsertDigests) {
    const plan = byId.get(id)!;
    await queue.upsertJobScheduler(id, { pattern: DIGEST_PATTERN, tz: plan.timezone }, { name: "digest", data: { pilotId: plan.id }, opts: { ...opts } });
  }
  for (const id of diff.removeDigests) await queue.removeJobScheduler(id);
}

/** The diff as lines for `pilots sync --dry-run` (times in each pilot's zone). */
export function describeDiff(diff: SyncDiff, plans: Plan[]): string[] {
  const zone = new Map(plans.map((p) => [p.id, p.timezone]));
  const at = (pilotId: string, ms: number) => DateTime.fromMillis(ms, { zone: zone.get(pilotId) ?? "UTC" }).toFormat("yyyy-MM-dd HH:mm:ss ZZZZ");
  return [
    ...diff.add.map((r) => `+ ${r.pilotId} ${r.milestoneId} ${r.offset} at ${at(r.pilotId, r.fireAt)}`),
    ...diff.restoreSnoozes.map((s) => `+ ${s.pilotId} ${s.milestoneId} snoozed until ${at(s.pilotId, s.fireAt)}`),
    ...diff.remove.map((id) => `- ${id}`),
    ...diff.upsertDigests.map((id) => `+ weekly digest ${id} (Monday 09:00 local)`),
    ...diff.removeDigests.map((id) => `- weekly digest ${id}`),
  ];
}
