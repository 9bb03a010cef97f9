/**
 * Done and snooze as the chats offer them (a reminder's buttons, a milestone list's buttons): an action and a
 * milestone ref, resolved through the pilot store. Platform-free: the channels only decode their payloads.
 */
import { z } from "zod";
import { markDone, snooze, type ActionContext, type ActionResult } from "./actions.js";
import type { ChannelRef } from "./notifier.js";

/** What a chat may do to a milestone. */
const MilestoneActionSchema = z.enum(["done", "snooze-day", "snooze-week"]);
export type MilestoneAction = z.infer<typeof MilestoneActionSchema>;

/** A milestone ref as `milestoneRef` makes it (base64url). */
export const MilestoneRefSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

/** How long each snooze lasts (ISO-8601). */
export const SNOOZE_DURATIONS = { "snooze-day": "P1D", "snooze-week": "P1W" } as const;

/**
 * Applies `action` to the milestone `ref` stands for, on behalf of `chat` (which must be one of the pilot's
 * chats). An unknown ref (never synced, or its milestone deleted) gives `{ ok: false, reason: "unknown" }`.
 */
export async function actOnMilestone(ctx: ActionContext, ref: string, action: MilestoneAction, chat: ChannelRef & { user?: string }): Promise<ActionResult> {
  const target = await ctx.store.resolveRef(ref);
  if (!target) return { ok: false, reason: "unknown" };
  if (action === "done") return markDone(ctx, target.pilotId, target.milestoneId, chat);
  return snooze(ctx, target.pilotId, target.milestoneId, SNOOZE_DURATIONS[action], chat);
}
