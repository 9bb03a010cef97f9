/**
 * Done and snooze, from a button or a command in a chat. Only a chat of the pilot may act on its milestones.
 * Done cancels the milestone's remaining reminders; snooze adds one reminder later (replacing an earlier snooze).
 */
import type { Queue } from "bullmq";
import { parseOffset } from "./durations.js";
import { deliveryJobOptions, snoozeJobId, type PilotJob, type QueueSettings } from "./queue.js";
import { milestoneReminders } from "./schedule.js";
import { planChannels, type ChannelRef } from "./notifier.js";
import type { Plan } from "./plan.js";
import type { PilotStore } from "./store.js";
import { remindersScheduledTotal } from "../shared/metrics.js";

export type ActionResult = { ok: true; plan: Plan; milestoneId: string; title: string; until?: number } | { ok: false; reason: "unknown" | "not-member" | "already-done" };

export interface ActionContext {
  queue: Queue<PilotJob>;
  store: PilotStore;
  jobs?: Pick<QueueSettings, "retryDelayMs" | "attempts">;
  now?: number;
}

/** True when `chat` is one of the pilot's channels. */
export function isMember(plan: Plan, chat: ChannelRef): boolean {
  return planChannels(plan.channels).some((c) => c.platform === chat.platform && c.id === chat.id);
}

async function target(ctx: ActionContext, pilotId: string, milestoneId: string, chat: ChannelRef) {
  const plan = await ctx.store.plan(pilotId);
  const milestone = plan?.milestones.find((m) => m.id === milestoneId);
  if (!plan || !milestone) return { ok: false as const, reason: "unknown" as const };
  if (!isMember(plan, chat)) return { ok: false as const, reason: "not-member" as const };
  return { ok: true as const, plan, milestone };
}

/** Marks a milestone done and removes its remaining reminders (and any snooze). */
export async function markDone(ctx: ActionContext, pilotId: string, milestoneId: string, chat: ChannelRef & { user?: string }): Promise<ActionResult> {
  const found = await target(ctx, pilotId, milestoneId, chat);
  if (!found.ok) return found;
  const state = await ctx.store.milestoneState(pilotId, milestoneId);
  if (state.done) return { ok: false, reason: "already-done" };
  await ctx.store.setMilestoneState(pilotId, milestoneId, { done: { at: ctx.now ?? Date.now(), by: chat } });
  const ids = [...milestoneReminders(found.plan, found.milestone).map((r) => r.jobId), ...(state.snooze ? [state.snooze.jobId] : [])];
  for (const id of ids) await ctx.queue.remove(id);
  return { ok: true, plan: found.plan, milestoneId, title: found.milestone.title };
}

/** Reminds the pilot's chats of the milestone again after `duration` (ISO-8601, e.g. P1D or P1W). */
export async function snooze(ctx: ActionContext, pilotId: string, milestoneId: string, duration: string, chat: ChannelRef & { user?: string }): Promise<ActionResult> {
  const found = await target(ctx, pilotId, milestoneId, chat);
  if (!found.ok) return found;
  const offset = parseOffset(duration);
  if (!offset) throw new Error(`invalid snooze duration ${duration}`);
  const state = await ctx.store.milestoneState(pilotId, milestoneId);
  if (state.done) return { ok: false, reason: "already-done" };
  const now = ctx.now ?? Date.now();
  const until = now + offset.as("milliseconds");
  const jobId = snoozeJobId(pilotId, milestoneId, until);
  if (state.snooze) await ctx.queue.remove(state.snooze.jobId);
  await ctx.store.setMilestoneState(pilotId, milestoneId, { snooze: { until, jobId, by: chat } });
  await ctx.queue.add("snooze", { pilotId, milestoneId, fireAt: until }, { ...deliveryJobOptions(ctx.jobs ?? {}), jobId, delay: until - now });
  remindersScheduledTotal.inc({ kind: "snooze" });
  return { ok: true, plan: found.plan, milestoneId, title: found.milestone.title, until };
}
