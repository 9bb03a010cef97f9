/** What the worker hands to a Notifier: a reminder of one milestone, or a pilot's weekly digest. Platform-free. */
import { DateTime } from "luxon";
import { dueDateTime, isDateOnly, type Lang, type Milestone, type Plan } from "./plan.js";
import type { SheetCatalog, SheetDigest } from "./sheets.js";

/** A milestone as messages show it. */
export interface MilestoneLine {
  milestoneId: string;
  title: string;
  owner?: string;
  /** Due date (and time when the plan gives one) in the pilot's local time, written for `lang`. */
  dueText: string;
  /** Calendar days from today to the due date, in the pilot's zone (negative when overdue). */
  daysLeft: number;
}

/** A reminder of one milestone, to be rendered like an answer, with done / snooze buttons. */
export interface ReminderMessage extends MilestoneLine {
  kind: "reminder";
  lang: Lang;
  pilotId: string;
  pilotName: string;
  /** The kit sheet for this step (summary and checklist), when the knowledge base has it. */
  sheet?: SheetDigest;
  /** Short reference of the milestone for buttons (resolved through the pilot store). */
  ref: string;
  /** The reminder's job id, for logs. */
  reminderId: string;
}

/** A pilot's weekly digest: due in the next 14 days, and overdue. */
export interface DigestMessage {
  kind: "digest";
  lang: Lang;
  pilotId: string;
  pilotName: string;
  upcoming: MilestoneLine[];
  overdue: MilestoneLine[];
}

export type PilotMessage = ReminderMessage | DigestMessage;

/** The milestone's line: due text in local time (written for `lang`, by default the plan's) and days left from `now`. */
export function milestoneLine(plan: Plan, milestone: Milestone, now: number, lang: Lang = plan.lang): MilestoneLine {
  const due = dueDateTime(milestone, plan.timezone).setLocale(lang === "fr" ? "fr-FR" : "en-GB");
  const today = DateTime.fromMillis(now, { zone: plan.timezone }).startOf("day");
  const daysLeft = Math.round(due.startOf("day").diff(today, "days").days);
  const date = due.toLocaleString(DateTime.DATE_HUGE);
  const dueText = isDateOnly(milestone.due) ? date : `${date}, ${due.toLocaleString(DateTime.TIME_24_SIMPLE)} (${plan.timezone})`;
  return { milestoneId: milestone.id, title: milestone.title, ...(milestone.owner ? { owner: milestone.owner } : {}), dueText, daysLeft };
}

/** The reminder message for one milestone. */
export function reminderMessage(plan: Plan, milestone: Milestone, sheets: SheetCatalog, now: number, ids: { ref: string; reminderId: string }): ReminderMessage {
  const sheet = sheets.get(milestone.sheet, plan.lang);
  return {
    kind: "reminder",
    lang: plan.lang,
    pilotId: plan.id,
    pilotName: plan.name,
    ...milestoneLine(plan, milestone, now),
    ...(sheet ? { sheet } : {}),
    ref: ids.ref,
    reminderId: ids.reminderId,
  };
}

/** "in 7 days", "today", "2 days late" (fr / en). */
export function daysLeftText(daysLeft: number, lang: Lang): string {
  if (lang === "fr") {
    if (daysLeft === 0) return "aujourd'hui";
    if (daysLeft === 1) return "demain";
    return daysLeft > 0 ? `dans ${daysLeft} jours` : `en retard de ${-daysLeft} jour${daysLeft < -1 ? "s" : ""}`;
  }
  if (daysLeft === 0) return "today";
  if (daysLeft === 1) return "tomorrow";
  return daysLeft > 0 ? `in ${daysLeft} days` : `${-daysLeft} day${daysLeft < -1 ? "s" : ""} overdue`;
}

/** The texts every platform's rendering shares, in the pilot's language. */
export const MESSAGE_TEXTS = {
  fr: {
    due: "Échéance",
    owner: "Responsable",
    checklist: "À vérifier (fiche du kit)",
    ask: "Pour en savoir plus, demandez",
    done: "✅ Fait",
    snoozeDay: "⏰ +1 jour",
    snoozeWeek: "⏰ +1 semaine",
    digest: "Point de la semaine",
    upcoming: "Dans les 14 prochains jours",
    overdue: "En retard",
    nothing: "Rien d'échu ni d'à venir dans les 14 jours.",
  },
  en: {
    due: "Due",
    owner: "Owner",
    checklist: "Checklist (kit sheet)",
    ask: "To learn more, ask",
    done: "✅ Done",
    snoozeDay: "⏰ +1 day",
    snoozeWeek: "⏰ +1 week",
    digest: "Weekly digest",
    upcoming: "In the next 14 days",
    overdue: "Overdue",
    nothing: "Nothing overdue or due in the next 14 days.",
  },
} as const;
