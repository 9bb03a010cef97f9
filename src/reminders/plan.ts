/**
 * The plan file of one pilot team (`pilots/<id>.yaml`): a stable contract that the teams' files and the
 * reminders rely on. Validated by zod; the checks that need the knowledge base (sheet ids) are in load-plans.ts.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { LangSchema } from "../shared/lang.js";
import { isOffset } from "./durations.js";

/** Pilot and milestone ids: lowercase slugs (they are part of job ids and button payloads). */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** YAML 1.1 parsers turn `2027-02-15` into a Date: bring it back to the text the team wrote. */
const asDueText = (v: unknown) =>
  v instanceof Date && !Number.isNaN(v.getTime())
    ? v
        .toISOString()
        .replace(/T00:00:00\.000Z$/, "")
        .replace(/\.000Z$/, "")
    : v;

const OffsetsSchema = z
  .array(z.string().refine(isOffset, { message: "must be ISO-8601 durations before the due time, e.g. P14D, P1D, PT2H, PT30S" }))
  .min(1, "give at least one offset, or leave `remind` out for the default (P14D, P7D, P1D, P0D)");

const MilestoneSchema = z.strictObject({
  id: z.string().regex(SLUG, "lowercase letters, digits and dashes (e.g. copil-1)"),
  title: z.string().trim().min(1, "required"),
  due: z.preprocess(
    asDueText,
    z.string().refine((v) => DATE.test(v) || DATE_TIME.test(v), { message: "a date (2027-02-15) or a local date and time (2027-03-10T14:30:00)" }),
  ),
  sheet: z.string().min(1, "required: the id of the kit sheet for this step (e.g. diagnostic-partage)"),
  owner: z.string().trim().min(1).optional(),
  remind: OffsetsSchema.optional(),
});

export const PlanSchema = z.strictObject({
  id: z.string().regex(SLUG, "lowercase letters, digits and dashes"),
  name: z.string().trim().min(1, "required"),
  timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: "unknown IANA time zone (e.g. Europe/Paris, Indian/Reunion)" }),
  lang: LangSchema.default("fr"),
  channels: z
    .strictObject({
      telegram: z.array(z.number().int("a Telegram chat id is a whole number (e.g. -1001234567890)")).default([]),
      slack: z.array(z.string().regex(/^[CDG][A-Z0-9]{2,}$/, "a Slack channel id (e.g. C0123456)")).default([]),
    })
    .default({ telegram: [], slack: [] }),
  remind: OffsetsSchema.optional(),
  milestones: z.array(MilestoneSchema).min(1, "a plan needs at least one milestone"),
});

export type Plan = z.infer<typeof PlanSchema>;
export type Milestone = z.infer<typeof MilestoneSchema>;
export type Lang = Plan["lang"];

/** The due time of a milestone in its pilot's zone: a date alone means 09:00 local time. */
export function dueDateTime(milestone: Pick<Milestone, "due">, timezone: string): DateTime {
  const local = DateTime.fromISO(milestone.due, { zone: timezone });
  return DATE.test(milestone.due) ? local.set({ hour: 9, minute: 0, second: 0, millisecond: 0 }) : local;
}

/** True when the due text names a date alone (reminders at 09:00 local time). */
export function isDateOnly(due: string): boolean {
  return DATE.test(due);
}
