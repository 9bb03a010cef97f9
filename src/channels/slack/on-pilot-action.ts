/**
 * The milestone buttons in Slack (a reminder's, or `/terrinclus milestones`'): done cancels the milestone's
 * remaining reminders, +1 day / +1 week snooze it. Only a channel listed in the pilot's plan may act: the channel
 * the button was pressed in is the one checked. The presser is answered privately.
 */
import type { RespondFn } from "@slack/bolt";
import { actOnMilestone } from "../../reminders/chat-actions.js";
import { milestoneActionText } from "../messages.js";
import { text } from "../../shared/texts.js";
import { notice, type SlackMessage } from "./blocks.js";
import { chosenLanguage, type SlackDeps } from "./context.js";
import { BlockActionSchema } from "./incoming.js";
import { decodePilotAction } from "./pilot-action.js";

/** Handles one milestone button's `block_actions` payload (after `ack()`). */
export async function onPilotAction(deps: SlackDeps, team: string, raw: unknown, respond?: RespondFn): Promise<void> {
  const parsed = BlockActionSchema.safeParse(raw);
  if (!parsed.success) return;
  const body = parsed.data;
  const user = body.user.id;
  const chosen = await chosenLanguage(deps, team, user);
  // Ephemeral in the channel; through the response_url where the app cannot post (a channel it is not in).
  const privately = async (message: SlackMessage) => {
    const viaResponseUrl = () => respond?.({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
    if (!body.channel) return void (await viaResponseUrl());
    await deps.poster.ephemeral(body.channel.id, user, body.message?.thread_ts, message).catch(async (error: Error) => {
      if (!respond) throw error;
      await viaResponseUrl();
    });
  };
  const pressed = decodePilotAction(body.actions[0]);
  if (!pressed) return privately(notice(text("badButton", chosen ?? "fr")));
  if (!deps.pilots) return privately(notice(text("remindersOff", chosen ?? "fr")));
  if (!body.channel) return privately(notice(text("milestoneNotMember", chosen ?? "fr")));
  try {
    const result = await actOnMilestone(deps.pilots, pressed.ref, pressed.action, { platform: "slack", id: body.channel.id, user });
    deps.logger.info({ channel: body.channel.id, action: pressed.action, ref: pressed.ref, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) }, "milestone button");
    await privately(notice(milestoneActionText(result, chosen ?? (result.ok ? result.plan.lang : "fr"))));
  } catch (error) {
    deps.logger.error({ action: pressed.action, ref: pressed.ref, channel: body.channel.id, err: (error as Error).message }, "slack milestone button failed");
    await privately(notice(text("error", chosen ?? "fr"))).catch(() => undefined);
  }
}
