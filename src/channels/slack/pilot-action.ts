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
export const SLACK_REMINDER_ACTIONS = { done: "pilot_done", "snooze-day": "pilot_snooze_day", "snooze-week": "pilot_snooze_week" } as const satisfies Record<MilestoneAction, string>;

/** Matches the action ids above (for `app.action`). */
export const PILOT_ACTION_ID = /^pilot_(done|snooze_day|snooze_week)$/;

const PilotActionSchema = z.object({
  action_id: z.enum([SLACK_REMINDER_ACTIONS.done, SLACK_REMINDER_ACTIONS["snooze-day"], SLACK_REMINDER_ACTIONS["snooze-week"]]),
  value: MilestoneRefSchema,
});

/** The action and milestone ref of a pressed milestone button, or undefined for anything else. */
export function decodePilotAction(action: unknown): { action: MilestoneAction; ref: string } | undefined {
  const parsed = PilotActionSchema.safeParse(action);
  if (!parsed.success) return undefined;
  const name = (Object.keys(SLACK_REMINDER_ACTIONS) as MilestoneAction[]).find((k) => SLACK_REMINDER_ACTIONS[k] === parsed.data.action_id)!;
  return { action: name, ref: parsed.data.value };
}

/** The three buttons (done, +1 day, +1 week) of one milestone, labelled in `lang`. */
export function pilotButtons(ref: string, lang: Lang): Button[] {
  const t = MESSAGE_TEXTS[lang];
  return [
    { ...button(t.done, SLACK_REMINDER_ACTIONS.done, ref), style: "primary" },
    button(t.snoozeDay, SLACK_REMINDER_ACTIONS["snooze-day"], ref),
    button(t.snoozeWeek, SLACK_REMINDER_ACTIONS["snooze-week"], ref),
  ];
}
