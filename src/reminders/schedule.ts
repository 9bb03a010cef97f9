/**
 * When each reminder fires: the due time in the pilot's local time minus each offset. Day, week, month and
 * year offsets are calendar steps in the local zone (a 09:00 reminder stays at 09:00 across daylight-saving
 * changes); hour, minute and second offsets are exact elapsed time.
 */
import type { DateTime } from "luxon";
import { DEFAULT_OFFSETS, parseOffset } from "./durations.js";
import { dueDateTime, type Milestone, type Plan } from "./plan.js";

/** One reminder of one milestone, at one offset before its due time. */
export interface ReminderSpec {
  pilotId: string;
  milestoneId: string;
  /** The ISO-8601 offset as written in the plan (P7D, PT30S…). */
  offset: string;
  /** Due time, ISO with the local offset (2027-03-10T14:30:00.000+01:00). */
  dueAt: string;
  /** When the reminder fires, Unix milliseconds. */
  fireAt: number;
  /** Deterministic BullMQ job id: the same plan always gives the same ids; a moved milestone gives new ones. */
  jobId: string;
}

/** The offsets that apply to a milestone: its own, else the pilot's, else the default. */
function offsetsOf(plan: Pick<Plan, "remind">, milestone: Pick<Milestone, "remind">): string[] {
  return [...new Set(milestone.remind ?? plan.remind ?? DEFAULT_OFFSETS)];
}

/** Job id of a reminder. Ids may not contain ":" (BullMQ); slugs, ISO durations and digits never do. */
function reminderJobId(pilotId: string, milestoneId: string, offset: string, fireAt: number): string {
  return `r.${pilotId}.${milestoneId}.${offset}.${fireAt}`;
}

/** Every reminder of one milestone, earliest first. */
export function milestoneReminders(plan: Plan, milestone: Milestone): ReminderSpec[] {
  const due = dueDateTime(milestone, plan.timezone);
  const out: ReminderSpec[] = [];
  for (const offset of offsetsOf(plan, milestone)) {
    const fire: DateTime = due.minus(parseOffset(offset)!);
    const fireAt = fire.toMillis();
    out.push({ pilotId: plan.id, milestoneId: milestone.id, offset, dueAt: due.toISO()!, fireAt, jobId: reminderJobId(plan.id, milestone.id, offset, fireAt) });
  }
  return out.sort((a, b) => a.fireAt - b.fireAt);
}

/** Every reminder of a plan, earliest first; with `after`, only those that fire later than it. */
export function planReminders(plan: Plan, after?: number): ReminderSpec[] {
  return plan.milestones
    .flatMap((m) => milestoneReminders(plan, m))
    .filter((r) => after === undefined || r.fireAt > after)
    .sort((a, b) => a.fireAt - b.fireAt);
}
