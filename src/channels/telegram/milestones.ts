/** `/milestones` in Telegram: the chat's pilots and their next milestones as HTML, with done / snooze buttons per milestone. */
import { InlineKeyboard } from "grammy";
import { shortTitle } from "../../answer/render-text.js";
import type { ChatPilot } from "../../reminders/chat-milestones.js";
import { daysLeftText, MESSAGE_TEXTS } from "../../reminders/message.js";
import type { Lang } from "../../shared/lang.js";
import { text } from "../../shared/texts.js";
import { escapeHtml } from "./html.js";
import { encodeReminderCallback } from "./reminders.js";

/** The list as one HTML message (a pilot's milestones are capped upstream, so it stays far below 4,096 characters). */
export function renderMilestonesHtml(pilots: ChatPilot[], lang: Lang): string {
  if (!pilots.length) return escapeHtml(text("noPilot", lang));
  const parts = [`📅 <b>${text("milestonesTitle", lang)}</b>`];
  for (const pilot of pilots) {
    parts.push("", `<b>${escapeHtml(pilot.pilotName)}</b> <i>(${escapeHtml(pilot.timezone)})</i>`);
    if (!pilot.milestones.length) parts.push(text("noUpcoming", lang));
    for (const m of pilot.milestones) {
      const snoozed = m.snoozedUntil ? ` — ⏰ ${text("snoozedUntil", lang)} ${escapeHtml(m.snoozedUntil)}` : "";
      const owner = m.owner ? ` — ${escapeHtml(m.owner)}` : "";
      parts.push(`• <b>${escapeHtml(m.title)}</b> — ${escapeHtml(m.dueText)} (${daysLeftText(m.daysLeft, lang)})${owner}${snoozed}`);
    }
    if (pilot.more > 0) parts.push(`… ${pilot.more} ${text("moreMilestones", lang)}`);
  }
  return parts.join("\n");
}

/** One row per listed milestone: ✅ and its short title, +1 day, +1 week (the reminders' callback data). */
export function milestonesKeyboard(pilots: ChatPilot[], lang: Lang): InlineKeyboard | undefined {
  const t = MESSAGE_TEXTS[lang];
  const rows = pilots
    .flatMap((p) => p.milestones)
    .map((m) => [
      InlineKeyboard.text(`✅ ${shortTitle(m.title, 24)}`, encodeReminderCallback("done", m.ref)),
      InlineKeyboard.text(t.snoozeDay, encodeReminderCallback("snooze-day", m.ref)),
      InlineKeyboard.text(t.snoozeWeek, encodeReminderCallback("snooze-week", m.ref)),
    ]);
  return rows.length ? InlineKeyboard.from(rows) : undefined;
}
