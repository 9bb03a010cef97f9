/** The long-running parts `terrinclus start` can run, built from the configuration, and running them until a signal. */
import type { AnswerEngine } from "../answer/engine.js";
import { HttpServer, type ReadinessCheck } from "../channels/http-server.js";
import type { Service } from "../channels/service.js";
import type { TurnLog } from "../channels/turn-log.js";
import type { SlackSettings } from "../channels/slack/run.js";
import { startTelegram, type RunningBot, type TelegramSettings } from "../channels/telegram/run.js";
import { ConfigError, type Config } from "../config/config.js";
import type { ActionContext } from "../reminders/actions.js";
import type { Logger } from "../shared/logger.js";
import type { Redis } from "ioredis";

/** The Slack settings, or a ConfigError naming the one missing token or secret. */
export function slackSettings(config: Config): SlackSettings {
  if (!config.SLACK_BOT_TOKEN) throw new ConfigError("SLACK_BOT_TOKEN is not set: install the Slack app (see slack-manifest.yml) and export its Bot User OAuth Token (xoxb-…).");
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) throw new ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs the app's Signing Secret (or set SLACK_APP_TOKEN, xapp-…, for Socket Mode).");
  return {
    botToken: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    ...(config.SLACK_ALLOWED_TEAMS?.length ? { allowedTeams: config.SLACK_ALLOWED_TEAMS } : {}),
    port: config.SLACK_PORT ?? config.PORT,
    threadTtlSeconds: config.CONVERSATION_TTL_SECONDS,
  };
}

/**
 * The Slack app as a service, its modules loaded only when it starts: Bolt takes seconds to import,
 * which every other command (`ask`, `similar`…) should not pay.
 */
export function slackChannel(settings: SlackSettings, engine: AnswerEngine, redis: Redis, logger: Logger, turns: TurnLog, shared?: HttpServer, pilots?: ActionContext): Service {
  let service: Service | undefined;
  return {
    name: "slack",
    async start() {
      const { slackService } = await import("../channels/slack/run.js");
      service = slackService(settings, engine, redis, logger, shared, pilots, turns);
      await service.start();
    },
    async stop() {
      await service?.stop();
    },
  };
}

/** The bot's settings from the configuration (the token is checked at start-up, with a line naming it). */
export function telegramSettings(config: Config): TelegramSettings {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error("TELEGRAM_BOT_TOKEN is not set.");
  return {
    token: config.TELEGRAM_BOT_TOKEN,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    rateLimit: { limit: config.TELEGRAM_RATE_LIMIT, windowSeconds: config.TELEGRAM_RATE_WINDOW_SECONDS },
    ...(config.TELEGRAM_WEBHOOK_URL ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET, port: config.PORT } } : {}),
  };
}

/** The Telegram bot as a service (its webhook on `shared` when given; `/milestones` and reminder buttons with `pilots`). */
export function telegramService(config: Config, engine: AnswerEngine, redis: Redis, logger: Logger, turns: TurnLog, shared?: HttpServer, pilots?: ActionContext): Service {
  let bot: RunningBot | undefined;
  return {
    name: "telegram",
    async start() {
      bot = await startTelegram(telegramSettings(config), engine, redis, logger, shared, pilots, turns);
    },
    async stop() {
      await bot?.stop();
      bot = undefined;
    },
  };
}

/** `service` with a readiness check for `/readyz`: not ready until it has started (a bot's webhook registered), nor once it stops. */
export function withReadiness(service: Service): Service & { readiness: ReadinessCheck } {
  let running = false;
  return {
    ...(service.name ? { name: service.name } : {}),
    readiness: () => (running ? undefined : `${service.name ?? "the service"} is not running`),
    async start() {
      await service.start();
      running = true;
    },
    async stop() {
      running = false;
      await service.stop();
    },
  };
}

/** The HTTP servers of a process: the one serving health and metrics, and the one each channel's HTTP mode routes on. */
export interface ProcessHttpServers {
  /** `/healthz`, `/readyz`, `/metrics`, on METRICS_PORT (default: PORT). */
  health: HttpServer;
  /** Every server to start (one per port: two servers never try the same port). */
  servers: HttpServer[];
  /** The server the Telegram webhook routes on; undefined: polling, or its own server on another port. */
  telegram?: HttpServer;
  /** The server Slack's HTTP receiver routes on; undefined: Socket Mode, or its own server on another port. */
  slack?: HttpServer;
}

/**
 * One HTTP server per port the process listens on: the health server on METRICS_PORT, which the Telegram
 * webhook (on PORT) and Slack's HTTP receiver (on SLACK_PORT) share when they use the same port, and one server
 * for both channels when they share a port other than METRICS_PORT.
 */
export function processHttpServers(config: Config, slack: SlackSettings | undefined, withTelegram: boolean): ProcessHttpServers {
  const metricsPort = config.METRICS_PORT ?? config.PORT;
  const health = new HttpServer(metricsPort);
  const servers = new Map<number, HttpServer>([[metricsPort, health]]);
  const telegramPort = withTelegram && config.TELEGRAM_WEBHOOK_URL ? config.PORT : undefined;
  const slackPort = slack && !slack.appToken ? slack.port : undefined;
  if (telegramPort !== undefined && telegramPort === slackPort && !servers.has(telegramPort)) servers.set(telegramPort, new HttpServer(telegramPort));
  const telegram = telegramPort === undefined ? undefined : servers.get(telegramPort);
  const slackServer = slackPort === undefined ? undefined : servers.get(slackPort);
  return { health, servers: [...servers.values()], ...(telegram ? { telegram } : {}), ...(slackServer ? { slack: slackServer } : {}) };
}

/** Every configured chat channel: Telegram when TELEGRAM_BOT_TOKEN is set, Slack when SLACK_BOT_TOKEN is set. */
export function configuredChannels(config: Config): Array<"telegram" | "slack"> {
  return [...(config.TELEGRAM_BOT_TOKEN ? (["telegram"] as const) : []), ...(config.SLACK_BOT_TOKEN ? (["slack"] as const) : [])];
}

export interface RunOptions {
  /** The order to stop in on a signal (default: the reverse of the start order); only started services are stopped. */
  stopOrder?: Service[];
  /** Called once the signal arrived, before anything stops (e.g. to arm a deadline); `pending` names the services not stopped yet. */
  onStopping?: (signal: string, pending: () => string[]) => void;
  /** Resolves with the signal that stops the services (default: the first SIGINT or SIGTERM). */
  signal?: Promise<string>;
}

/**
 * Starts the services (stopping those already started if one fails), then waits for SIGINT or SIGTERM,
 * handled once for all of them, and stops them one after the other.
 */
export async function runServices(services: Service[], logger: Logger, options: RunOptions = {}): Promise<void> {
  const started: Service[] = [];
  // Listening before anything starts: a signal during start-up (a slow worker, a platform slow to answer) stops the
  // start there and shuts down what started, instead of killing the process with Node's default handler.
  let received: string | undefined;
  const signalled = (options.signal ?? nextSignal()).then((name) => (received = name));
  try {
    for (const service of services) {
      if (received) break;
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stopAll([...started].reverse(), logger);
    throw error;
  }
  const signal = await signalled;
  logger.info({ signal }, "stopping");
  const order = options.stopOrder ? options.stopOrder.filter((s) => started.includes(s)) : [...started].reverse();
  const stopped = new Set<Service>();
  options.onStopping?.(signal, () => order.filter((s) => !stopped.has(s)).map((s) => s.name ?? "unnamed service"));
  await stopAll(order, logger, stopped);
}

/** Stops services one after the other, in the order given; one that fails to stop does not keep the others running. */
async function stopAll(services: Service[], logger: Logger, stopped = new Set<Service>()): Promise<void> {
  for (const service of services) {
    await service.stop().catch((error: Error) => logger.error({ service: service.name, err: error.message }, "could not stop cleanly"));
    stopped.add(service);
  }
}

/**
 * On a signal, the process must be gone within `ms`: past it, the parts still stopping are named in the log
 * (SHUTDOWN_TIMEOUT) and the process exits with status 1. Returns a function that disarms it.
 */
export function shutdownDeadline(ms: number, logger: Logger, stillStopping: () => string[], exit: (code: number) => void = process.exit): () => void {
  const timer = setTimeout(() => {
    logger.error({ code: "SHUTDOWN_TIMEOUT", timeout_ms: ms, pending: stillStopping() }, "shutdown took too long; exiting");
    exit(1);
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (name: string) => () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(name);
    };
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
  });
}
