/** Fixed texts of the chat channels, in French and English. */
import type { ActionResult } from "../reminders/actions.js";
import type { ChatMilestoneId, MilestoneCommandOutcome } from "../reminders/chat-commands.js";
import { localDateTime } from "../reminders/chat-milestones.js";
import type { Lang } from "../shared/lang.js";

export const CHANNEL_TEXTS = {
  start: {
    fr: "Bonjour ! Je suis l'assistant du kit TERRINCLUS de l'Assemblée des Départements de France, sur la coopération internationale des Départements dans le domaine de l'inclusion économique et sociale.\n\nPosez-moi une question de méthode (« comment structurer un diagnostic partagé ? », « comment constituer un comité de pilotage ? ») : je réponds à partir du kit, avec mes sources, et je vous dis quand le kit ne couvre pas la question. Je trouve aussi des coopérations proches de votre projet avec /similar.",
    en: "Hello! I am the assistant of the TERRINCLUS kit of the Assemblée des Départements de France, on Départements' international cooperation for economic and social inclusion.\n\nAsk me a methodology question (\"how do I structure a partner diagnosis?\", \"how do we set up a steering committee?\"): I answer from the kit, with my sources, and I tell you when the kit does not cover the question. I also find cooperations close to your project with /similar.",
  },
  help: {
    fr: "Commandes :\n/ask <question> — poser une question (en groupe : ou mentionnez-moi, ou répondez à un de mes messages)\n/similar <description> — coopérations documentées proches de votre projet\n/sources — sources complètes de la dernière réponse\n/milestones (ou /jalons) — prochains jalons des pilotes de cette conversation, avec les boutons fait / reporter\n/lang fr|en — langue des réponses\n/help — cette aide",
    en: "Commands:\n/ask <question> — ask a question (in a group: or mention me, or reply to one of my messages)\n/similar <description> — documented cooperations close to your project\n/sources — full sources of the last answer\n/milestones — upcoming milestones of this chat's pilots, with done / snooze buttons\n/lang fr|en — language of the answers\n/help — this help",
  },
  askUsage: { fr: "Écrivez votre question après /ask, par exemple : /ask comment constituer un comité de pilotage ?", en: "Write your question after /ask, for example: /ask how do we set up a steering committee?" },
  similarUsage: { fr: "Décrivez votre projet après /similar, par exemple : /similar protection de l'enfance au Maroc", en: "Describe your project after /similar, for example: /similar child protection in Morocco" },
  langUsage: { fr: "Utilisez /lang fr ou /lang en.", en: "Use /lang fr or /lang en." },
  langSet: { fr: "Je répondrai en français.", en: "I will answer in English." },
  noSources: { fr: "Pas encore de réponse avec des sources dans cette conversation.", en: "No answer with sources in this conversation yet." },
  textOnly: { fr: "Je ne lis que le texte : posez votre question par écrit.", en: "I only read text: please type your question." },
  thanks: { fr: "Merci, c'est noté.", en: "Thanks, noted." },
  nothingToRate: { fr: "Aucune réponse à évaluer.", en: "No answer to rate." },
  nothingMore: { fr: "Rien de plus à afficher pour la dernière réponse.", en: "Nothing more to show for the last answer." },
  expired: { fr: "Cette réponse est trop ancienne pour être évaluée.", en: "This answer is too old to be rated." },
  badButton: { fr: "Ce bouton n'est plus valide.", en: "This button is no longer valid." },
  error: { fr: "Désolé, une erreur est survenue. Réessayez dans un instant.", en: "Sorry, something went wrong. Please try again in a moment." },
  similarTitle: { fr: "Coopérations documentées proches", en: "Similar documented cooperations" },
  useful: { fr: "👍 Utile", en: "👍 Useful" },
  notUseful: { fr: "👎 Pas utile", en: "👎 Not useful" },
  sourcesButton: { fr: "📚 Sources", en: "📚 Sources" },
  moreButton: { fr: "➕ La suite", en: "➕ More" },
  similarButton: { fr: "🔎 Projets similaires", en: "🔎 Similar projects" },
  slackHelp: {
    fr: "Mentionnez-moi dans un canal (je réponds dans le fil, puis j'y suis les questions suivantes sans nouvelle mention) ou écrivez-moi en message direct.\n/terrinclus <question> — poser une question\n/terrinclus similar <description> — coopérations documentées proches de votre projet\n/terrinclus milestones — prochains jalons des pilotes de ce canal, avec les boutons fait / reporter\n/terrinclus lang fr|en — langue des réponses\n/terrinclus help — cette aide",
    en: "Mention me in a channel (I answer in the thread, then follow its next questions without a new mention) or send me a direct message.\n/terrinclus <question> — ask a question\n/terrinclus similar <description> — documented cooperations close to your project\n/terrinclus milestones — upcoming milestones of this channel's pilots, with done / snooze buttons\n/terrinclus lang fr|en — language of the answers\n/terrinclus help — this help",
  },
  slackSimilarUsage: { fr: "Décrivez votre projet après /terrinclus similar, par exemple : /terrinclus similar protection de l'enfance au Maroc", en: "Describe your project after /terrinclus similar, for example: /terrinclus similar child protection in Morocco" },
  slackLangUsage: { fr: "Utilisez /terrinclus lang fr ou /terrinclus lang en.", en: "Use /terrinclus lang fr or /terrinclus lang en." },
  expiredAnswer: { fr: "Cette réponse est trop ancienne : posez la question à nouveau.", en: "This answer is too old: please ask the question again." },
  milestonesTitle: { fr: "Prochains jalons", en: "Upcoming milestones" },
  noPilot: {
    fr: "Cette conversation ne figure dans aucun plan de pilote synchronisé : ajoutez son identifiant sous channels dans le plan, puis lancez terrinclus pilots sync.",
    en: "This chat is in no synced pilot plan: add its id under channels in the plan, then run terrinclus pilots sync.",
  },
  noUpcoming: { fr: "Aucun jalon à venir.", en: "No upcoming milestone." },
  snoozedUntil: { fr: "rappel reporté au", en: "snoozed until" },
  moreMilestones: { fr: "autres jalons plus tard", en: "more milestones later" },
  remindersOff: { fr: "Les rappels des pilotes ne sont pas activés sur ce service.", en: "Pilot reminders are not enabled on this service." },
  milestoneUnknown: { fr: "Ce jalon n'est plus dans le plan.", en: "This milestone is no longer in the plan." },
  milestoneNotMember: { fr: "Seules les conversations de ce pilote peuvent agir sur ses jalons.", en: "Only this pilot's chats can act on its milestones." },
  milestoneAlreadyDone: { fr: "Ce jalon est déjà marqué comme fait.", en: "This milestone is already marked done." },
  sources: { fr: "Sources", en: "Sources" },
  seeAlso: { fr: "Voir aussi", en: "See also" },
  case: { fr: "cas", en: "case" },
  why: { fr: "Pourquoi", en: "Why" },
} satisfies Record<string, Record<Lang, string>>;

export function text(key: keyof typeof CHANNEL_TEXTS, lang: Lang): string {
  return CHANNEL_TEXTS[key][lang];
}

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
    fr: { done: "/done", snooze: "/snooze", list: "/milestones", help: ["/done <jalon> (ou /fait) — marquer un jalon comme fait : ses rappels sont annulés", "/snooze <jalon> 1d|1w (ou /reporter) — reporter le rappel d'un jour ou d'une semaine"] },
    en: { done: "/done", snooze: "/snooze", list: "/milestones", help: ["/done <milestone> — mark a milestone done: its reminders are cancelled", "/snooze <milestone> 1d|1w — remind again in a day or a week"] },
  },
  slack: {
    fr: { done: "/terrinclus done", snooze: "/terrinclus snooze", list: "/terrinclus milestones", help: ["/terrinclus done <jalon> (ou fait) — marquer un jalon comme fait : ses rappels sont annulés", "/terrinclus snooze <jalon> 1d|1w (ou reporter) — reporter le rappel d'un jour ou d'une semaine"] },
    en: { done: "/terrinclus done", snooze: "/terrinclus snooze", list: "/terrinclus milestones", help: ["/terrinclus done <milestone> — mark a milestone done: its reminders are cancelled", "/terrinclus snooze <milestone> 1d|1w — remind again in a day or a week"] },
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
        fr ? `« ${outcome.arg} » est un jalon de plusieurs pilotes de cette conversation : précisez lequel avec pilote/jalon.` : `"${outcome.arg}" is a milestone of several of this chat's pilots: say which one as pilot/milestone.`,
        ...outcome.candidates.map((m) => `• ${m.name} — ${m.title}`),
      ].join("\n");
    case "usage": {
      const example = outcome.available[0]?.name ?? (fr ? "jalon" : "milestone");
      const how =
        outcome.command === "done"
          ? fr ? `Écrivez : ${t.done} <jalon>, par exemple ${t.done} ${example}` : `Write: ${t.done} <milestone>, for example ${t.done} ${example}`
          : fr ? `Écrivez : ${t.snooze} <jalon> 1d (un jour) ou 1w (une semaine), par exemple ${t.snooze} ${example} 1w` : `Write: ${t.snooze} <milestone> 1d (a day) or 1w (a week), for example ${t.snooze} ${example} 1w`;
      const what =
        outcome.problem === "bad-milestone"
          ? fr ? `« ${outcome.arg} » n'est pas un jalon : un identifiant (minuscules, chiffres, tirets), ou pilote/jalon.` : `"${outcome.arg}" is not a milestone: an id (lowercase letters, digits, dashes), or pilot/milestone.`
          : outcome.problem === "bad-duration" && outcome.arg !== undefined
            ? fr ? `« ${outcome.arg} » n'est pas une durée de report : 1d ou 1w.` : `"${outcome.arg}" is not a snooze length: 1d or 1w.`
            : undefined;
      return [...(what ? [what] : []), how, namedMilestones(outcome.available, lang, style)].join("\n");
    }
  }
}
