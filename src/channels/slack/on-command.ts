/** `/terrinclus …`: acknowledged at once by the caller, then answered through the command's `response_url`. */
import type { RespondFn } from "@slack/bolt";
import { runMilestoneCommand } from "../../reminders/chat-commands.js";
import { chatMilestones } from "../../reminders/chat-milestones.js";
import { detectLanguage } from "../../shared/language.js";
import { helpWithMilestoneCommands, milestoneCommandText } from "../messages.js";
import { text } from "../../shared/texts.js";
import { notice, type SlackMessage } from "./blocks.js";
import { parseSlashCommand } from "./command.js";
import { chosenLanguage, userPreferences, type SlackDeps } from "./context.js";
import { slackTextToPlain } from "./mrkdwn.js";
import { renderMilestones } from "./milestones.js";
import { renderReply, renderSimilar } from "./render.js";

/** A response_url takes at most five messages. */
const MAX_RESPONSES = 5;

export interface CommandInput {
  team: string;
  user: string;
  channel: string;
  text: string;
}

/** Answers a slash command (after `ack()`): help and errors only to the user, answers to the channel. */
export async function onCommand(deps: SlackDeps, input: CommandInput, respond: RespondFn): Promise<void> {
  const command = parseSlashCommand(slackTextToPlain(input.text));
  const chosen = await chosenLanguage(deps, input.team, input.user);
  const privately = (message: SlackMessage) => respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  const publicly = async (messages: SlackMessage[]) => {
    for (const m of messages.slice(0, MAX_RESPONSES)) await respond({ response_type: "in_channel", replace_original: false, text: m.text, blocks: m.blocks });
  };
  try {
    switch (command.kind) {
      case "help":
        return void (await privately(notice(helpWithMilestoneCommands("slack", chosen ?? "fr"))));
      case "lang":
        if (!command.lang) return void (await privately(notice(text("slackLangUsage", chosen ?? "fr"))));
        await deps.engine.setLanguage(userPreferences(input.team, input.user), command.lang);
        return void (await privately(notice(text("langSet", command.lang))));
      case "similar": {
        if (!command.description) return void (await privately(notice(text("slackSimilarUsage", chosen ?? "fr"))));
        const result = await deps.engine.similar(command.description, { lang: chosen ?? detectLanguage(command.description) });
        return void (await publicly(renderSimilar(result)));
      }
      case "milestones": {
        const lang = chosen ?? "fr";
        if (!deps.pilots) return void (await privately(notice(text("remindersOff", lang))));
        const list = await chatMilestones(deps.pilots.store, { platform: "slack", id: input.channel }, { lang, ...(deps.pilots.now !== undefined ? { now: deps.pilots.now } : {}) });
        // Not a member of any pilot: only the user is told how to add the channel.
        if (!list.length) return void (await privately(renderMilestones(list, lang)[0]!));
        return void (await publicly(renderMilestones(list, lang)));
      }
      case "done":
      case "snooze": {
        if (!deps.pilots) return void (await privately(notice(text("remindersOff", chosen ?? "fr"))));
        const outcome = await runMilestoneCommand(deps.pilots, { platform: "slack", id: input.channel, user: input.user }, command.kind, command.args);
        const result = outcome.kind === "result" ? outcome.result : undefined;
        deps.logger.info(
          { channel: input.channel, command: command.kind, outcome: outcome.kind, ...(result ? { ok: result.ok, ...(result.ok ? { milestone: result.milestoneId } : { reason: result.reason }) } : {}) },
          "milestone command",
        );
        // Like the buttons: the user's language, else the pilot's. Done and snoozed are told to the channel, the rest only to the user.
        const lang = chosen ?? (result?.ok ? result.plan.lang : outcome.kind !== "result" && outcome.kind !== "no-pilot" ? outcome.lang : undefined) ?? "fr";
        const message = notice(milestoneCommandText(outcome, lang, "slack"));
        return void (await (result?.ok ? publicly([message]) : privately(message)));
      }
      case "ask": {
        const conversationId = `slack:${input.team}:${input.channel}:cmd:${input.user}`;
        const reply = await deps.engine.ask({ question: command.question, conversationId, channel: "slack", ...(chosen ? { lang: chosen } : {}) });
        return void (await publicly(renderReply(reply)));
      }
    }
  } catch (error) {
    deps.logger.error({ command: "/terrinclus", team: input.team, err: (error as Error).message }, "slack command failed");
    await privately(notice(text("error", chosen ?? "fr"))).catch(() => undefined);
  }
}
