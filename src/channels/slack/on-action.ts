/**
 * Buttons under an answer: feedback (recorded like Telegram's, so `terrinclus report` sees both channels),
 * sources, similar projects, the rest of the answer and the sheet's other sections, answered in the thread.
 */
import type { RespondFn } from "@slack/bolt";
import { text } from "../../shared/texts.js";
import { notice, type SlackMessage } from "./blocks.js";
import { decodeButtonValue } from "./button-value.js";
import { chosenLanguage, type SlackDeps } from "./context.js";
import { BlockActionSchema, isDirectMessage } from "./incoming.js";
import { renderReply, renderSimilar, renderSources } from "./render.js";

/** Slack's answers when the app is not a member of the channel (e.g. a /terrinclus answer's buttons). */
const NOT_A_MEMBER = /not_in_channel|channel_not_found/;

/**
 * Handles one `block_actions` payload (after `ack()`). Replies go to the thread; where the app cannot post
 * (a channel it was not invited to), through the payload's `response_url` instead.
 */
export async function onAction(deps: SlackDeps, team: string, raw: unknown, respond?: RespondFn): Promise<void> {
  const parsed = BlockActionSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.channel) return;
  const body = parsed.data;
  const channel = body.channel!.id;
  const user = body.user.id;
  const threadTs = body.message ? (body.message.thread_ts ?? (isDirectMessage(channel) ? undefined : body.message.ts)) : undefined;
  const lang = (await chosenLanguage(deps, team, user)) ?? "fr";
  const viaResponseUrl = async (error: unknown, messages: SlackMessage[], responseType: "ephemeral" | "in_channel") => {
    if (!respond || !NOT_A_MEMBER.test((error as Error).message)) throw error;
    for (const m of messages.slice(0, 5)) await respond({ response_type: responseType, replace_original: false, text: m.text, blocks: m.blocks });
  };
  const privately = (message: SlackMessage) => deps.poster.ephemeral(channel, user, threadTs, message).catch((error) => viaResponseUrl(error, [message], "ephemeral"));
  const inThread = (messages: SlackMessage[]) => deps.poster.post(channel, threadTs, messages).catch((error) => viaResponseUrl(error, messages, "in_channel"));

  const payload = decodeButtonValue(body.actions[0]!.value);
  if (!payload) return privately(notice(text("badButton", lang)));
  try {
    switch (payload.action) {
      case "feedback": {
        const ok = await deps.engine.feedback(payload.answerId, payload.useful, "slack");
        return privately(notice(text(ok ? "thanks" : "expired", lang)));
      }
      case "more":
      case "section": {
        const reply = payload.action === "more" ? await deps.engine.more(payload.answerId) : await deps.engine.section(payload.answerId, payload.index);
        if (!reply) return privately(notice(text("expiredAnswer", lang)));
        return void (await inThread(renderReply(reply)));
      }
      case "sources": {
        const record = await deps.engine.answerRecord(payload.answerId);
        const sources = record && (await deps.engine.sources(payload.answerId));
        if (!record || !sources) return privately(notice(text("expiredAnswer", lang)));
        return void (await inThread(renderSources(sources, record.lang)));
      }
      case "similar": {
        const record = await deps.engine.answerRecord(payload.answerId);
        if (!record) return privately(notice(text("expiredAnswer", lang)));
        return void (await inThread(renderSimilar(await deps.engine.similar(record.question, { lang: record.lang }))));
      }
    }
  } catch (error) {
    deps.logger.error({ action: payload.action, answer: payload.answerId, channel, err: (error as Error).message }, "slack button failed");
    await privately(notice(text("error", lang))).catch(() => undefined);
  }
}
