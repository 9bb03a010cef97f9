/**
 * The pilots' milestones in Telegram: `/milestones` (and `/jalons`) lists the upcoming milestones of the pilots
 * this chat belongs to, and the reminder buttons (`ms:d|s1|s7:<ref>`) or the typed `/done <milestone>` (`/fait`)
 * and `/snooze <milestone> 1d|1w` (`/reporter`) mark done or snooze. Only a chat listed in the pilot's plan may
 * act: the chat the button was pressed or the command typed in is the one checked.
 */
import type { Bot, Context, InlineKeyboard } from "grammy";
import type { ActionContext } from "../../reminders/actions.js";
import { actOnMilestone } from "../../reminders/chat-actions.js";
import { runMilestoneCommand } from "../../reminders/chat-commands.js";
import { chatMilestones } from "../../reminders/chat-milestones.js";
import type { Lang } from "../../shared/lang.js";
import type { Logger } from "../../shared/logger.js";
import { milestoneActionText, milestoneCommandText } from "../messages.js";
import { text } from "../../shared/texts.js";
import { escapeHtml } from "./html.js";
import { milestonesKeyboard, renderMilestonesHtml } from "./milestones.js";
import { decodeReminderCallback } from "./reminders.js";

/** The commands that list the milestones (`milestones` is the one in the menu; `jalons` is its French alias). */
const MILESTONE_COMMANDS = ["milestones", "jalons"] as const;
/** The typed done / snooze (`done` and `snooze` in the menu; `fait` and `reporter` their French aliases). */
const DONE_COMMANDS = ["done", "fait"] as const;
const SNOOZE_COMMANDS = ["snooze", "reporter"] as const;

export interface PilotHandlerOptions {
  /** The reminders' store and queue; without them, the commands and buttons say reminders are not enabled. */
  pilots?: ActionContext;
  langOf(ctx: Context): Promise<Lang>;
  send(ctx: Context, parts: string[], keyboard?: InlineKeyboard): Promise<void>;
  logger?: Logger;
}

/** Registers the command and the buttons; call before the bot's generic message and callback handlers. */
export function registerPilotHandlers(bot: Bot, options: PilotHandlerOptions): void {
  const { pilots, langOf, send } = options;

  bot.command([...MILESTONE_COMMANDS], async (ctx) => {
    const lang = await langOf(ctx);
    if (!pilots) return send(ctx, [escapeHtml(text("remindersOff", lang))]);
    const list = await chatMilestones(pilots.store, { platform: "telegram", id: String(ctx.chat.id) }, { lang, ...(pilots.now !== undefined ? { now: pilots.now } : {}) });
    await send(ctx, [renderMilestonesHtml(list, lang)], milestonesKeyboard(list, lang));
  });

  for (const [names, command] of [
    [DONE_COMMANDS, "done"],
    [SNOOZE_COMMANDS, "snooze"],
  ] as const) {
    bot.command([...names], async (ctx) => {
      const lang = await langOf(ctx);
      if (!pilots) return send(ctx, [escapeHtml(text("remindersOff", lang))]);
      const outcome = await runMilestoneCommand(pilots, { platform: "telegram", id: String(ctx.chat.id), ...(ctx.from ? { user: String(ctx.from.id) } : {}) }, command, ctx.match);
      const result = outcome.kind === "result" ? outcome.result : undefined;
      options.logger?.info(
        { chat: ctx.chat.id, command, outcome: outcome.kind, ...(result ? { ok: result.ok, ...(result.ok ? { milestone: result.milestoneId } : { reason: result.reason }) } : {}) },
        "milestone command",
      );
      await send(ctx, [escapeHtml(milestoneCommandText(outcome, lang, "telegram"))]);
    });
  }

  bot.callbackQuery(/^ms:/, async (ctx) => {
    const lang = await langOf(ctx);
    const pressed = decodeReminderCallback(ctx.callbackQuery.data);
    if (!pressed) return void (await ctx.answerCallbackQuery({ text: text("badButton", lang) }));
    if (!pilots) return void (await ctx.answerCallbackQuery({ text: text("remindersOff", lang) }));
    // A button in an inline message has no chat: it cannot be checked against the plan, so it is refused.
    if (!ctx.chat) return void (await ctx.answerCallbackQuery({ text: text("milestoneNotMember", lang) }));
    const result = await actOnMilestone(pilots, pressed.ref, pressed.action, { platform: "telegram", id: String(ctx.chat.id), user: String(ctx.from.id) });
    options.logger?.info({ chat: ctx.chat.id, action: pressed.action, ref: pressed.ref, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) }, "milestone button");
    await ctx.answerCallbackQuery({ text: milestoneActionText(result, lang) });
  });
}
