/**
 * The milestone buttons in Slack (a reminder's, and `/terrinclus milestones`'): action ids `pilot_done`,
 * `pilot_snooze_day`, `pilot_snooze_week`, the milestone ref as value. Built here, validated here when they come back.
 */
import { z } from "zod";
import { MilestoneRefSchema, type MilestoneAction } from "../../reminders/chat-actions.js";
import { MESSAGE_TEXTS } from "../../reminders/message.js";
import type { Lang } from "../../shared/lang.js";
import { button, type Button } from "./blocks.js";

/** Slack's action ids of the milestone buttons. */
const SLACK_REMINDER_ACTIONS = { done: "pilot_done", "snooze-day": "pilot_snooze_day", "snooze-week": "pilot_snooze_week" } as const satisfies Record<MilestoneAction, string>;

/**
 * Matches the action ids above (for `app.action`), alone (a reminder) or followed by `.<ref>` (a list of
 * milestones: Slack wants the action ids of one message distinct).
 */
export const PILOT_ACTION_ID = /^pilot_(done|snooze_day|snooze_week)(\.[A-Za-z0-9_-]{1,40})?$/;

const PilotActionSchema = z.object({
  action_id: z
    .string()
    .regex(PILOT_ACTION_ID)
    .transform((id) => id.split(".")[0])
    .pipe(z.enum([SLACK_REMINDER_ACTIONS.done, SLACK_REMINDER_ACTIONS["snooze-day"], SLACK_REMINDER_ACTIONS["snooze-week"]])),
  value: MilestoneRefSchema,
});

/** The action and milestone ref of a pressed milestone button, or undefined for anything else. */
export function decodePilotAction(action: unknown): { action: MilestoneAction; ref: string } | undefined {
  const parsed = PilotActionSchema.safeParse(action);
  if (!parsed.success) return undefined;
  const name = (Object.keys(SLACK_REMINDER_ACTIONS) as MilestoneAction[]).find((k) => SLACK_REMINDER_ACTIONS[k] === parsed.data.action_id)!;
  return { action: name, ref: parsed.data.value };
}

/**
 * The three buttons (done, +1 day, +1 week) of one milestone, labelled in `lang`. With `distinct`, the action ids
 * end with `.<ref>`, so that several milestones' buttons can share a message.
 */
export function pilotButtons(ref: string, lang: Lang, distinct = false): Button[] {
  const t = MESSAGE_TEXTS[lang];
  const id = (action: MilestoneAction) => (distinct ? `${SLACK_REMINDER_ACTIONS[action]}.${ref}` : SLACK_REMINDER_ACTIONS[action]);
  return [{ ...button(t.done, id("done"), ref), style: "primary" }, button(t.snoozeDay, id("snooze-day"), ref), button(t.snoozeWeek, id("snooze-week"), ref)];
}
