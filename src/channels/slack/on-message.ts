/**
 * Mentions, direct messages and thread follow-ups: answered in the thread, once only per message,
 * only when addressed to the app (a mention, a direct message, or a thread where it already answered).
 */
import { detectLanguage } from "../../shared/language.js";
import { text } from "../../shared/texts.js";
import { notice } from "./blocks.js";
import { chosenLanguage, type SlackDeps } from "./context.js";
import { isDirectMessage, MessageEventSchema, type MessageEvent } from "./incoming.js";
import { slackTextToPlain } from "./mrkdwn.js";
import { renderReply } from "./render.js";
import type { Turn } from "../turn-log.js";

/** Subtypes that are still a person writing (others: edits, deletions, joins, bots…). */
const HUMAN_SUBTYPES = new Set(["thread_broadcast", "file_share"]);

/** Handles one `app_mention` or `message` event; `turn` is the event's log line. */
export async function onMessage(deps: SlackDeps, team: string, eventId: string | undefined, raw: unknown, turn?: Turn): Promise<void> {
  const parsed = MessageEventSchema.safeParse(raw);
  turn?.note("ignored");
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.bot_id || !message.user || message.user === deps.botUserId) return;
  if (message.subtype && !HUMAN_SUBTYPES.has(message.subtype)) return;
  const direct = isDirectMessage(message.channel, message.channel_type);
  // In a channel the answer goes to the message's thread; in a direct message, beside it (or in its thread).
  const threadTs = direct ? message.thread_ts : (message.thread_ts ?? message.ts);
  if (!(await addressed(deps, team, message, direct))) return;
  // Without Redis the claim cannot be checked: answering (maybe twice on a redelivery) beats staying silent.
  const claimed = await deps.store.claim(eventId, message.channel, message.ts).catch((error: Error) => {
    deps.logger.warn({ event_id: eventId, err: error.message }, "once-only check unavailable: answering anyway");
    return true;
  });
  if (!claimed) return turn?.note("ignored", { duplicate: true });

  const question = slackTextToPlain(message.text, deps.botUserId);
  const chosen = await chosenLanguage(deps, team, message.user);
  try {
    if (!question) return void (await deps.poster.post(message.channel, threadTs, [notice(text("slackHelp", chosen ?? "fr"))]));
    const conversationId = `slack:${team}:${message.channel}:${threadTs ?? "dm"}`;
    turn?.text(question);
    const reply = await deps.engine.ask({ question, conversationId, channel: "slack", ...(chosen ? { lang: chosen } : {}) });
    turn?.note(reply.answered ? "answered" : "refused", { lang: reply.lang, answer_id: reply.answerId });
    await deps.poster.post(message.channel, threadTs, renderReply(reply));
    if (!direct && threadTs)
      await deps.store.rememberThread(team, message.channel, threadTs).catch((error: Error) => deps.logger.warn({ event_id: eventId, err: error.message }, "thread not remembered: follow-ups there need a mention"));
  } catch (error) {
    turn?.note("failed");
    deps.logger.error({ event_id: eventId, channel: message.channel, err: (error as Error).message }, "slack message failed");
    const lang = chosen ?? detectLanguage(question);
    await deps.poster.post(message.channel, threadTs, [notice(text("error", lang))]).catch((e: Error) => deps.logger.error({ event_id: eventId, err: e.message }, "could not report the error"));
  }
}

async function addressed(deps: SlackDeps, team: string, message: MessageEvent, direct: boolean): Promise<boolean> {
  if (direct || message.type === "app_mention" || message.text.includes(`<@${deps.botUserId}>`)) return true;
  return !!message.thread_ts && (await deps.store.knowsThread(team, message.channel, message.thread_ts).catch(() => false));
}
