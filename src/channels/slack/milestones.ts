/** `/terrinclus milestones` as Block Kit: the channel's pilots, each milestone a section with its done / snooze buttons. */
import type { ChatPilot } from "../../reminders/chat-milestones.js";
import { daysLeftText } from "../../reminders/message.js";
import type { Lang } from "../../shared/lang.js";
import { text } from "../../shared/texts.js";
import { packMessages, section, type Rendered } from "./blocks.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { pilotButtons } from "./pilot-action.js";
import type { SlackMessage } from "./blocks.js";

/** The list as messages (several when it needs more than 50 blocks), with a plain-text fallback. */
export function renderMilestones(pilots: ChatPilot[], lang: Lang): SlackMessage[] {
  if (!pilots.length) return packMessages([section(escapeMrkdwn(text("noPilot", lang)), text("noPilot", lang))]);
  const content: Rendered[] = [section(`📅 *${text("milestonesTitle", lang)}*`, text("milestonesTitle", lang))];
  for (const pilot of pilots) {
    content.push(section(`*${escapeMrkdwn(pilot.pilotName)}* _(${escapeMrkdwn(pilot.timezone)})_`, `${pilot.pilotName} (${pilot.timezone})`));
    if (!pilot.milestones.length) content.push(section(escapeMrkdwn(text("noUpcoming", lang)), text("noUpcoming", lang)));
    for (const m of pilot.milestones) {
      const when = `${m.dueText} (${daysLeftText(m.daysLeft, lang)})`;
      const extra = [m.owner, m.snoozedUntil ? `⏰ ${text("snoozedUntil", lang)} ${m.snoozedUntil}` : undefined].filter((x): x is string => !!x);
      const mrkdwn = [`• *${escapeMrkdwn(m.title)}* — ${escapeMrkdwn(when)}`, ...extra.map((x) => escapeMrkdwn(x))].join("\n");
      content.push(section(mrkdwn, [`${m.title} — ${when}`, ...extra].join(" — ")));
      content.push({ block: { type: "actions", elements: pilotButtons(m.ref, lang, true) }, plain: "" });
    }
    if (pilot.more > 0) content.push(section(escapeMrkdwn(`… ${pilot.more} ${text("moreMilestones", lang)}`), `… ${pilot.more} ${text("moreMilestones", lang)}`));
  }
  return packMessages(content);
}
