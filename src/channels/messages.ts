/** Channel texts composed from data (delays, milestones, commands); the fixed texts are in `shared/texts.ts`. */
import type { ActionResult } from "../reminders/actions.js";
import type { ChatMilestoneId, MilestoneCommandOutcome } from "../reminders/chat-commands.js";
import { localDateTime } from "../reminders/chat-milestones.js";
import type { Lang } from "../shared/lang.js";
import { text } from "../shared/texts.js";

/** What a user over the rate limit is told: try again in `seconds`. */
export function rateLimited(lang: Lang, seconds: number): string {
  return lang === "fr" ? `Vous posez beaucoup de questions : réessayez dans ${seconds} s.` : `You are asking a lot of questions: please try again in ${seconds} s.`;
}

/** What a chat is told after a done or snooze button: a short confirmation, or why it was refused. */
export function milestoneActionText(result: ActionResult, lang: Lang): string {
  if (!result.ok) return text(result.reason === "unknown" ? "milestoneUnknown" : result.reason === "not-member" ? "milestoneNotMember" : "milestoneAlreadyDone", lang);
  const title = result.title.length > 80 ? `${result.title.slice(0, 79)}…` : result.title;
  if (result.until === undefined) return lang === "fr" ? `✅ « ${title} » est fait : ses rappels sont annulés.` : `✅ "${title}" is done: its reminders are cancelled.`;
  const until = localDateTime(result.until, result.plan.timezone, lang);
  return lang === "fr" ? `⏰ « ${title} » : prochain rappel ${until}.` : `⏰ "${title}": next reminder ${until}.`;
}

/** A user's language from their Telegram/Slack locale, French unless it says English. */
export function localeLang(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith("en") ? "en" : "fr";
}

/** Where a typed milestone command is written: Telegram's `/done`, Slack's `/terrinclus done`. */
export type CommandStyle = "telegram" | "slack";

const MILESTONE_COMMAND_TEXTS = {
  telegram: {
    fr: {
      done: "/done",
      snooze: "/snooze",
      list: "/milestones",
      help: ["/done <jalon> (ou /fait) — marquer un jalon comme fait : ses rappels sont annulés", "/snooze <jalon> 1d|1w (ou /reporter) — reporter le rappel d'un jour ou d'une semaine"],
    },
    en: { done: "/done", snooze: "/snooze", list: "/milestones", help: ["/done <milestone> — mark a milestone done: its reminders are cancelled", "/snooze <milestone> 1d|1w — remind again in a day or a week"] },
  },
  slack: {
    fr: {
      done: "/terrinclus done",
      snooze: "/terrinclus snooze",
      list: "/terrinclus milestones",
      help: ["/terrinclus done <jalon> (ou fait) — marquer un jalon comme fait : ses rappels sont annulés", "/terrinclus snooze <jalon> 1d|1w (ou reporter) — reporter le rappel d'un jour ou d'une semaine"],
    },
    en: {
      done: "/terrinclus done",
      snooze: "/terrinclus snooze",
      list: "/terrinclus milestones",
      help: ["/terrinclus done <milestone> — mark a milestone done: its reminders are cancelled", "/terrinclus snooze <milestone> 1d|1w — remind again in a day or a week"],
    },
  },
} as const satisfies Record<CommandStyle, Record<Lang, { done: string; snooze: string; list: string; help: readonly string[] }>>;

/** The help (`help` for Telegram, `slackHelp` for Slack) with the done / snooze commands after the milestones line. */
export function helpWithMilestoneCommands(style: CommandStyle, lang: Lang): string {
  const lines = text(style === "telegram" ? "help" : "slackHelp", lang).split("\n");
  const t = MILESTONE_COMMAND_TEXTS[style][lang];
  const at = lines.findIndex((l) => l.startsWith(t.list));
  lines.splice(at < 0 ? lines.length : at + 1, 0, ...t.help);
  return lines.join("\n");
}

/** How many milestones a message names before sending to the list command. */
const MAX_NAMED_MILESTONES = 12;

function namedMilestones(available: ChatMilestoneId[], lang: Lang, style: CommandStyle): string {
  if (!available.length) return lang === "fr" ? "Aucun jalon ouvert dans les plans de cette conversation." : "No open milestone in this chat's plans.";
  const shown = available.slice(0, MAX_NAMED_MILESTONES).map((m) => `• ${m.name} — ${m.title.length > 60 ? `${m.title.slice(0, 59)}…` : m.title}`);
  const more = available.length - shown.length;
  const list = MILESTONE_COMMAND_TEXTS[style][lang].list;
  const tail = more > 0 ? [lang === "fr" ? `… et ${more} autres (voir ${list})` : `… and ${more} more (see ${list})`] : [];
  return [lang === "fr" ? "Jalons ouverts de cette conversation :" : "Open milestones of this chat:", ...shown, ...tail].join("\n");
}

/** What a chat is told after a typed `/done` or `/snooze`: the button's confirmation or refusal, or how to write it. */
export function milestoneCommandText(outcome: MilestoneCommandOutcome, lang: Lang, style: CommandStyle): string {
  const t = MILESTONE_COMMAND_TEXTS[style][lang];
  const fr = lang === "fr";
  switch (outcome.kind) {
    case "result":
      return milestoneActionText(outcome.result, lang);
    case "no-pilot":
      return text("noPilot", lang);
    case "unknown":
      return [fr ? `Aucun jalon « ${outcome.arg} » dans les plans de cette conversation.` : `No milestone "${outcome.arg}" in this chat's plans.`, namedMilestones(outcome.available, lang, style)].join("\n");
    case "ambiguous":
      return [
        fr
          ? `« ${outcome.arg} » est un jalon de plusieurs pilotes de cette conversation : précisez lequel avec pilote/jalon.`
          : `"${outcome.arg}" is a milestone of several of this chat's pilots: say which one as pilot/milestone.`,
        ...outcome.candidates.map((m) => `• ${m.name} — ${m.title}`),
      ].join("\n");
    case "usage": {
      const example = outcome.available[0]?.name ?? (fr ? "jalon" : "milestone");
      const how =
        outcome.command === "done"
          ? fr
            ? `Écrivez : ${t.done} <jalon>, par exemple ${t.done} ${example}`
            : `Write: ${t.done} <milestone>, for example ${t.done} ${example}`
          : fr
            ? `Écrivez : ${t.snooze} <jalon> 1d (un jour) ou 1w (une semaine), par exemple ${t.snooze} ${example} 1w`
            : `Write: ${t.snooze} <milestone> 1d (a day) or 1w (a week), for example ${t.snooze} ${example} 1w`;
      const what =
        outcome.problem === "bad-milestone"
          ? fr
            ? `« ${outcome.arg} » n'est pas un jalon : un identifiant (minuscules, chiffres, tirets), ou pilote/jalon.`
            : `"${outcome.arg}" is not a milestone: an id (lowercase letters, digits, dashes), or pilot/milestone.`
          : outcome.problem === "bad-duration" && outcome.arg !== undefined
            ? fr
              ? `« ${outcome.arg} » n'est pas une durée de report : 1d ou 1w.`
              : `"${outcome.arg}" is not a snooze length: 1d or 1w.`
            : undefined;
      return [...(what ? [what] : []), how, namedMilestones(outcome.available, lang, style)].join("\n");
    }
  }
}
