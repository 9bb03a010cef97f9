/** Runs the Telegram bot: long polling with the grammY runner, or a webhook server when a webhook URL is set. */
import http from "node:http";
import { run } from "@grammyjs/runner";
import { BotError, webhookCallback, type Bot } from "grammy";
import type { AnswerEngine } from "../../answer/engine.js";
import type { ActionContext } from "../../reminders/actions.js";
import type { Logger } from "../../shared/logger.js";
import type { Redis } from "ioredis";
import type { HttpServer } from "../http-server.js";
import { RedisRateLimiter } from "../rate-limit.js";
import type { TurnLog } from "../turn-log.js";
import { createTelegramBot, registerCommands } from "./bot.js";

const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** What the bot needs to run, taken from the configuration by the command line. */
export interface TelegramSettings {
  token: string;
  /** Another Bot API server (self-hosted, or a test server). */
  apiRoot?: string;
  /** Questions per user per window. */
  rateLimit: { limit: number; windowSeconds: number };
  /** Webhook mode: the public URL (its path is served), the secret Telegram sends back, the port of the bot's own server. */
  webhook?: { url: string; secret?: string; port: number };
}

export interface RunningBot {
  /** Resolves when the bot has stopped. */
  stop(): Promise<void>;
  /** The webhook server's port, in webhook mode. */
  port?: number;
}

/**
 * The webhook's request handler. grammY hands a handler's error to `bot.catch` only when polling; a webhook gets it
 * thrown, which would answer 500 and have Telegram deliver the update again and again. Here it goes to `bot.catch`
 * too (the user is told, the update is done).
 */
export function webhookHandler(bot: Bot, secret: string | undefined, logger: Logger): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const handle = webhookCallback(bot, "http", { secretToken: secret, onTimeout: "return", timeoutMilliseconds: 55_000 });
  return (req, res) =>
    handle(req, res).catch(async (error: Error) => {
      if (error instanceof BotError) await Promise.resolve(bot.errorHandler(error)).catch((e: Error) => logger.error({ err: e.message }, "telegram error handler failed"));
      else logger.error({ err: error.message }, "webhook request failed");
      if (!res.headersSent) res.writeHead(error instanceof BotError ? 200 : 500).end();
    });
}

/** Starts the bot (with `pilots`: `/milestones` and the reminder buttons act on the reminders); in webhook mode on `shared` when given (one server for every channel), else on its own server. */
export async function startTelegram(settings: TelegramSettings, engine: AnswerEngine, redis: Redis, logger: Logger, shared?: HttpServer, pilots?: ActionContext, turns?: TurnLog): Promise<RunningBot> {
  const bot = createTelegramBot({
    token: settings.token,
    engine,
    apiRoot: settings.apiRoot,
    rateLimiter: new RedisRateLimiter(redis, settings.rateLimit.limit, settings.rateLimit.windowSeconds),
    logger,
    ...(turns ? { turns } : {}),
    ...(pilots ? { pilots } : {}),
  });
  await bot.init();
  await registerCommands(bot).catch((error: Error) => logger.warn({ err: error.message }, "could not register commands"));

  const webhook = settings.webhook;
  if (webhook) {
    const url = new URL(webhook.url);
    const serve = webhookHandler(bot, webhook.secret, logger);
    if (shared) {
      shared.route(url.pathname, serve);
      await bot.api.setWebhook(url.href, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      logger.info({ bot: bot.botInfo.username, port: shared.port, path: url.pathname }, "telegram bot listening for webhook updates");
      return { port: shared.port, stop: async () => undefined };
    }
    const server = http.createServer((req, res) => {
      if (req.method === "GET" && req.url === "/healthz") return void res.writeHead(200).end("ok");
      if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== url.pathname) return void res.writeHead(404).end();
      void serve(req, res);
    });
    await new Promise<void>((resolve) => server.listen(webhook.port, resolve));
    await bot.api.setWebhook(url.href, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
    const port = (server.address() as { port: number }).port;
    logger.info({ bot: bot.botInfo.username, port, path: url.pathname }, "telegram bot listening for webhook updates");
    return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  await bot.api.deleteWebhook();
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  logger.info({ bot: bot.botInfo.username }, "telegram bot polling for updates");
  return { stop: () => (runner.isRunning() ? runner.stop() : Promise.resolve()) };
}
