/**
 * Every fixed text of the assistant, in French and English, in one catalog: what replies say (refusals, notes,
 * labels) and what the channels say (help with each channel's command names, buttons, confirmations).
 * Texts built from data (a rate-limit delay, a milestone) are composed by their modules from these.
 */
import type { Lang } from "./lang.js";

export type Phrase = Record<Lang, string>;

/** Phrases of replies, rendered the same by every channel. */
export const PHRASES = {
  refusalLead: {
    fr: "Le kit TERRINCLUS ne traite pas cette question.",
    en: "The TERRINCLUS kit does not cover this question.",
  },
  refusalNear: {
    fr: "Je réponds uniquement à partir du kit et des coopérations documentées, pour ne rien inventer. Les fiches les plus proches :",
    en: "I only answer from the kit and the documented cooperations, so as not to make anything up. The nearest sheets:",
  },
  refusalNothingNear: {
    fr: "Je réponds uniquement à partir du kit et des coopérations documentées : diagnostic, partenaires, gouvernance, convention, financements, suivi-évaluation, capitalisation.",
    en: "I only answer from the kit and the documented cooperations: diagnosis, partners, governance, agreements, funding, monitoring and evaluation, capitalisation.",
  },
  emptyQuestion: {
    fr: "Posez-moi une question sur la coopération internationale des Départements (diagnostic, gouvernance, évaluation, financements…).",
    en: "Ask me a question about Départements' international cooperation (diagnosis, governance, evaluation, funding…).",
  },
  practiceNote: {
    fr: "Pratique générale de la coopération décentralisée, et non contenu propre au guide TERRINCLUS.",
    en: "General practice of decentralised cooperation, not content specific to the TERRINCLUS guide.",
  },
  otherLanguage: {
    fr: "Ce passage n'existe qu'en anglais dans le kit ; il est cité tel quel.",
    en: "The kit has this passage in French only; it is quoted as written.",
  },
  noSimilar: {
    fr: "Aucune coopération documentée n'est assez proche de cette description.",
    en: "No documented cooperation is close enough to this description.",
  },
  partial: {
    fr: "Le kit ne couvre qu'une partie de votre question : vérifiez que ce passage répond bien à ce que vous cherchez.",
    en: "The kit covers only part of your question: check that this passage answers what you are looking for.",
  },
  modelFallback: {
    fr: "Le modèle de langue n'a pas répondu à temps : réponse extraite directement du kit.",
    en: "The language model did not answer in time: answer taken directly from the kit.",
  },
  unsourced: {
    fr: "Cette réponse générée ne cite aucun passage du kit : elle n'est pas sourcée, vérifiez-la.",
    en: "This generated answer cites no passage of the kit: it is not sourced, check it.",
  },
} satisfies Record<string, Phrase>;

/** What a question asked for, when the kit does not state it ("how long" → "a duration"). */
export const ASKED_FACT: Partial<Record<string, Phrase>> = {
  duration: { fr: "de durée", en: "a duration" },
  frequency: { fr: "de fréquence", en: "a frequency" },
  amount: { fr: "de montant", en: "an amount" },
  when: { fr: "de date ni de calendrier", en: "a date or timeline" },
  rule: { fr: "de règle juridique sur ce point", en: "a legal rule on this point" },
};

/** Texts of the chat channels; keys starting with "slack" hold Slack's command names. */
export const CHANNEL_TEXTS = {
  start: {
    fr: "Bonjour ! Je suis l'assistant du kit TERRINCLUS de l'Assemblée des Départements de France, sur la coopération internationale des Départements dans le domaine de l'inclusion économique et sociale.\n\nPosez-moi une question de méthode (« comment structurer un diagnostic partagé ? », « comment constituer un comité de pilotage ? ») : je réponds à partir du kit, avec mes sources, et je vous dis quand le kit ne couvre pas la question. Je trouve aussi des coopérations proches de votre projet avec /similar.",
    en: 'Hello! I am the assistant of the TERRINCLUS kit of the Assemblée des Départements de France, on Départements\' international cooperation for economic and social inclusion.\n\nAsk me a methodology question ("how do I structure a partner diagnosis?", "how do we set up a steering committee?"): I answer from the kit, with my sources, and I tell you when the kit does not cover the question. I also find cooperations close to your project with /similar.',
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
  slackSimilarUsage: {
    fr: "Décrivez votre projet après /terrinclus similar, par exemple : /terrinclus similar protection de l'enfance au Maroc",
    en: "Describe your project after /terrinclus similar, for example: /terrinclus similar child protection in Morocco",
  },
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

/** The console's help, with its own commands. */
export const CONSOLE_HELP: Record<Lang, string> = {
  fr: "Posez une question sur le kit TERRINCLUS. Commandes : /more (la suite), /section <n>, /similar <description>, /sources, /utile, /pasutile [commentaire], /lang fr|en, /quit",
  en: "Ask a question about the TERRINCLUS kit. Commands: /more, /section <n>, /similar <description>, /sources, /useful, /notuseful [comment], /lang fr|en, /quit",
};

/** A reply phrase in a language. */
export function phrase(key: keyof typeof PHRASES, lang: Lang): string {
  return PHRASES[key][lang];
}

/** A chat channel's text in a language. */
export function text(key: keyof typeof CHANNEL_TEXTS, lang: Lang): string {
  return CHANNEL_TEXTS[key][lang];
}
