/** The Telegram adapter (grammY): routes updates to the answer engine and renders its replies. */
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, InlineKeyboard, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { AnswerEngine } from "../../answer/engine.js";
import type { Reply } from "../../answer/reply.js";
import { LangSchema, type Lang } from "../../shared/lang.js";
import type { Logger } from "../../shared/logger.js";
import { helpWithMilestoneCommands, localeLang, rateLimited } from "../messages.js";
import { text } from "../../shared/texts.js";
import type { RedisRateLimiter } from "../rate-limit.js";
import type { ActionContext } from "../../reminders/actions.js";
import { actionLabel, actionRows } from "../action-buttons.js";
import { actionPayload } from "../action-payload.js";
import { decodeCallback, encodeCallback } from "./callbacks.js";
import { registerPilotHandlers } from "./pilot-handlers.js";
import { escapeHtml } from "./html.js";
import { countApiErrors } from "./api-errors.js";
import { perChatPacing } from "./pacing.js";
import { renderReply, renderSimilar, renderSources } from "./render.js";
import { TurnLog, type Turn } from "../turn-log.js";

export interface TelegramBotOptions {
  token: string;
  engine: AnswerEngine;
  /** Another Bot API server (self-hosted, or a test server). */
  apiRoot?: string;
  /** Known bot identity (skips getMe, e.g. in webhook mode). */
  botInfo?: UserFromGetMe;
  rateLimiter?: RedisRateLimiter;
  logger?: Logger;
  /** Minimum gap between two messages to one chat, in ms. */
  pacing?: { private: number; group: number };
  /** The pilots' reminders (store and queue), for `/milestones` and the reminder buttons. */
  pilots?: ActionContext;
  /** Logs each update and counts those in progress (shared by the process's channels for a graceful shutdown). */
  turns?: TurnLog;
}

/**
 * A Bot API call that gets no answer is abandoned after this long (grammY's default is 500 s), then retried by
 * auto-retry at most 3 times: longer than the runner's 30-second long polling, short enough that a hanging
 * server does not hold an update for minutes.
 */
const API_TIMEOUT_SECONDS = 40;

/** How often the "typing…" status is renewed while an answer is being prepared (Telegram shows it ~5 s). */
const TYPING_REFRESH_MS = 4500;

/** The bot with its handlers (questions, commands, buttons, pilot commands), API retries, pacing and one log line per update; not started. */
export function createTelegramBot(options: TelegramBotOptions): Bot {
  const { engine, logger } = options;
  const client = { timeoutSeconds: API_TIMEOUT_SECONDS, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) };
  const bot = new Bot(options.token, { ...(options.botInfo ? { botInfo: options.botInfo } : {}), client });
  bot.api.config.use(countApiErrors(logger));
  bot.api.config.use(perChatPacing(options.pacing ?? { private: 300, group: 1000 }));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  const turns = options.turns ?? new TurnLog(logger);
  const turnOf = new WeakMap<Context, Turn>();
  // First: the update's line measures its whole handling, waiting for the chat's earlier updates included.
  bot.use(async (ctx, next) => {
    const turn = turns.begin({ channel: "telegram", id: ctx.update.update_id, kind: updateKind(ctx) });
    turnOf.set(ctx, turn);
    try {
      await next();
      turn.end();
    } catch (error) {
      turn.end(error);
      throw error;
    }
  });
  // Every update went through the middleware above.
  const turn = (ctx: Context) => turnOf.get(ctx)!;
  // Updates of one chat are handled in order, different chats concurrently (with the runner).
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));

  const conversationOf = (ctx: Context) => (ctx.chat?.type === "private" ? `tg:${ctx.chat.id}` : `tg:${ctx.chat?.id}:${ctx.from?.id}`);
  // The user's chosen language, else their Telegram locale (also when the store is unreachable).
  const langOf = async (ctx: Context): Promise<Lang> => (await engine.preferredLanguage(conversationOf(ctx)).catch(() => undefined)) ?? localeLang(ctx.from?.language_code);

  async function send(ctx: Context, parts: string[], keyboard?: InlineKeyboard): Promise<void> {
    const replyTo = ctx.chat?.type !== "private" && ctx.msg ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {};
    for (const [i, part] of parts.entries()) {
      const markup = i === parts.length - 1 && keyboard ? { reply_markup: keyboard } : {};
      try {
        await ctx.reply(part, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(i === 0 ? replyTo : {}), ...markup });
      } catch (error) {
        // Our HTML is escaped by construction; if Telegram still refuses it, the user gets the text without formatting.
        if (!(error instanceof GrammyError && /can't parse entities/i.test(error.description))) throw error;
        logger?.error({ update_id: ctx.update.update_id, err: error.description }, "telegram refused our HTML; sending plain text");
        await ctx.reply(
          part
            .replace(/<[^>]+>/g, "")
            .replace(/&lt;/g, "<")
            .replace(/&gt;/g, ">")
            .replace(/&quot;/g, '"')
            .replace(/&amp;/g, "&"),
          { ...markup },
        );
      }
    }
  }

  async function sendText(ctx: Context, message: string): Promise<void> {
    await send(ctx, [escapeHtml(message)]);
  }

  async function withinRate(ctx: Context): Promise<boolean> {
    if (!options.rateLimiter || !ctx.from) return true;
    // A rate limit that cannot be read (Redis down) lets the question through rather than fail it.
    const decision = await options.rateLimiter.hit(`tg:${ctx.from.id}`).catch((error: Error) => {
      logger?.warn({ update_id: ctx.update.update_id, err: error.message }, "rate limit unavailable: question let through");
      return { allowed: true, retryAfter: 0, firstRefusal: false };
    });
    if (!decision.allowed) turn(ctx).note("rate_limited");
    if (!decision.allowed && decision.firstRefusal) await sendText(ctx, rateLimited(await langOf(ctx), decision.retryAfter));
    return decision.allowed;
  }

  async function whileTyping<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
    const typing = () => ctx.replyWithChatAction("typing").catch(() => undefined);
    void typing();
    const timer = setInterval(typing, TYPING_REFRESH_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  async function answer(ctx: Context, question: string): Promise<void> {
    if (!question.trim()) return sendText(ctx, text("askUsage", await langOf(ctx)));
    if (!(await withinRate(ctx))) return;
    turn(ctx).text(question);
    const reply = await whileTyping(ctx, () => engine.ask({ question, conversationId: conversationOf(ctx), channel: "telegram" }));
    turn(ctx).note(reply.answered ? "answered" : "refused", { lang: reply.lang, answer_id: reply.answerId });
    await send(ctx, renderReply(reply), keyboardOf(reply));
  }

  /** The reply's actions as buttons: reading on (more, sources, similar), the sheet's other sections, feedback. */
  function keyboardOf(reply: Reply): InlineKeyboard | undefined {
    const rows = actionRows(reply.actions);
    if (!rows.length) return undefined;
    return InlineKeyboard.from(rows.map((row) => row.map((action) => InlineKeyboard.text(actionLabel(action, reply.lang, TELEGRAM_SECTION_CHARS), encodeCallback(actionPayload(action, reply.answerId))))));
  }

  async function similar(ctx: Context, description: string, lang?: Lang): Promise<void> {
    if (!description.trim()) return sendText(ctx, text("similarUsage", await langOf(ctx)));
    if (!(await withinRate(ctx))) return;
    const result = await whileTyping(ctx, async () => engine.similar(description, { lang: lang ?? (await engine.preferredLanguage(conversationOf(ctx))) }));
    await send(ctx, renderSimilar(result));
  }

  bot.command("start", async (ctx) => {
    const lang = await langOf(ctx);
    await send(ctx, [text("start", lang), helpWithMilestoneCommands("telegram", lang)].map(escapeHtml));
  });
  bot.command("help", async (ctx) => sendText(ctx, helpWithMilestoneCommands("telegram", await langOf(ctx))));
  bot.command("ask", (ctx) => answer(ctx, ctx.match));
  bot.command("similar", (ctx) => similar(ctx, ctx.match));
  bot.command("lang", async (ctx) => {
    const wanted = LangSchema.safeParse(ctx.match.trim().toLowerCase());
    if (!wanted.success) return sendText(ctx, text("langUsage", await langOf(ctx)));
    await engine.setLanguage(conversationOf(ctx), wanted.data);
    await sendText(ctx, text("langSet", wanted.data));
  });
  bot.command("sources", async (ctx) => {
    const lang = await langOf(ctx);
    await send(ctx, renderSources(await engine.lastSources(conversationOf(ctx)), lang));
  });

  registerPilotHandlers(bot, { ...(options.pilots ? { pilots: options.pilots } : {}), langOf, send, ...(logger ? { logger } : {}) });

  bot.on("message:text", async (ctx) => {
    const message = ctx.message;
    if (message.text.startsWith("/")) return; // an unknown command, or one meant for another bot
    if (ctx.chat.type === "private") return answer(ctx, message.text);
    const username = ctx.me.username;
    const mentioned = (message.entities ?? []).some((e) => e.type === "mention" && message.text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${username.toLowerCase()}`);
    const repliedToBot = message.reply_to_message?.from?.id === ctx.me.id;
    if (!mentioned && !repliedToBot) return turn(ctx).note("ignored");
    await answer(ctx, message.text.replace(new RegExp(`@${username}\\b`, "gi"), " ").trim());
  });

  bot.on("message", async (ctx) => {
    const addressed = ctx.chat.type === "private" || ctx.message.reply_to_message?.from?.id === ctx.me.id;
    if (addressed) await sendText(ctx, text("textOnly", await langOf(ctx)));
  });

  bot.on("callback_query:data", async (ctx) => {
    const callback = decodeCallback(ctx.callbackQuery.data);
    const lang = await langOf(ctx);
    turn(ctx).note("handled", { action: callback?.action ?? "unreadable" });
    if (!callback) return void (await ctx.answerCallbackQuery({ text: text("badButton", lang) }));
    if (callback.action === "feedback") {
      const ok = await engine.feedback(callback.answerId, callback.useful, "telegram");
      return void (await ctx.answerCallbackQuery({ text: text(ok ? "thanks" : "expired", lang) }));
    }
    if (callback.action === "more" || callback.action === "section") {
      const reply = callback.action === "more" ? await engine.more(callback.answerId) : await engine.section(callback.answerId, callback.index);
      if (!reply) return void (await ctx.answerCallbackQuery({ text: text("expired", lang) }));
      await ctx.answerCallbackQuery();
      return send(ctx, renderReply(reply), keyboardOf(reply));
    }
    const record = await engine.answerRecord(callback.answerId);
    if (!record) return void (await ctx.answerCallbackQuery({ text: text("expired", lang) }));
    await ctx.answerCallbackQuery();
    if (callback.action === "sources") await send(ctx, renderSources((await engine.sources(callback.answerId)) ?? [], record.lang));
    else await similar(ctx, record.question, record.lang);
  });

  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  // The update's failure is already in its turn's line.
  bot.catch(async (error) => {
    const ctx = error.ctx;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    if (ctx.chat) await ctx.reply(text("error", await langOf(ctx))).catch(() => undefined);
  });

  return bot;
}

/** What an update is, for its log line (a command's name, never its text). */
function updateKind(ctx: Context): string {
  if (ctx.callbackQuery) return "button";
  const text = ctx.message?.text;
  if (text?.startsWith("/")) return `command ${text.split(/[\s@]/, 1)[0]!.slice(0, 32)}`;
  if (ctx.message) return "message";
  return Object.keys(ctx.update).find((key) => key !== "update_id") ?? "unknown";
}

/** Section buttons stay short on a phone's width. */
const TELEGRAM_SECTION_CHARS = 28;

/** The commands shown in Telegram's menu, per language. */
export const COMMANDS: Record<Lang, Array<{ command: string; description: string }>> = {
  fr: [
    { command: "ask", description: "Poser une question sur le kit TERRINCLUS" },
    { command: "similar", description: "Trouver des coopérations proches d'un projet" },
    { command: "sources", description: "Sources complètes de la dernière réponse" },
    { command: "milestones", description: "Prochains jalons des pilotes de cette conversation" },
    { command: "done", description: "Marquer un jalon comme fait : /done <jalon>" },
    { command: "snooze", description: "Reporter le rappel d'un jalon : /snooze <jalon> 1d|1w" },
    { command: "lang", description: "Langue des réponses : fr ou en" },
    { command: "help", description: "Aide" },
    { command: "start", description: "Présentation de l'assistant" },
  ],
  en: [
    { command: "ask", description: "Ask a question about the TERRINCLUS kit" },
    { command: "similar", description: "Find cooperations close to a project" },
    { command: "sources", description: "Full sources of the last answer" },
    { command: "milestones", description: "Upcoming milestones of this chat's pilots" },
    { command: "done", description: "Mark a milestone done: /done <milestone>" },
    { command: "snooze", description: "Snooze a milestone's reminder: /snooze <milestone> 1d|1w" },
    { command: "lang", description: "Answer language: fr or en" },
    { command: "help", description: "Help" },
    { command: "start", description: "About the assistant" },
  ],
};

/** Sets the command menu: French by default and for French users, English for English users. */
export async function registerCommands(bot: Bot): Promise<void> {
  await bot.api.setMyCommands(COMMANDS.fr);
  await bot.api.setMyCommands(COMMANDS.fr, { language_code: "fr" });
  await bot.api.setMyCommands(COMMANDS.en, { language_code: "en" });
}
