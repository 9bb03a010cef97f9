/** The weekly digest of a pilot: milestones due in the next 14 days, and those overdue, done ones left out. */
import { DateTime } from "luxon";
import { milestoneLine, type DigestMessage } from "./message.js";
import { dueDateTime, type Plan } from "./plan.js";
import type { MilestoneState } from "./store.js";

const DIGEST_HORIZON_DAYS = 14;

/** The digest at `now`: open milestones overdue, and those due within the horizon, by due date in the pilot's time zone. */
export function digestMessage(plan: Plan, states: ReadonlyMap<string, MilestoneState>, now: number): DigestMessage {
  const horizon = DateTime.fromMillis(now, { zone: plan.timezone }).plus({ days: DIGEST_HORIZON_DAYS }).toMillis();
  const open = plan.milestones.filter((m) => !states.get(m.id)?.done).sort((a, b) => dueDateTime(a, plan.timezone).toMillis() - dueDateTime(b, plan.timezone).toMillis());
  const due = (m: (typeof open)[number]) => dueDateTime(m, plan.timezone).toMillis();
  return {
    kind: "digest",
    lang: plan.lang,
    pilotId: plan.id,
    pilotName: plan.name,
    overdue: open.filter((m) => due(m) < now).map((m) => milestoneLine(plan, m, now)),
    upcoming: open.filter((m) => due(m) >= now && due(m) <= horizon).map((m) => milestoneLine(plan, m, now)),
  };
}
