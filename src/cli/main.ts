#!/usr/bin/env node
/** The `terrinclus` command line: the one place where the parts are wired together. */
import { existsSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigError, loadConfig, type Config } from "../config/config.js";
import { CodedError, errorCode } from "../shared/errors.js";
import { runConsole } from "../channels/console.js";
import type { Service } from "../channels/service.js";
import { resolveCountry, resolveTheme } from "../retrieval/facets.js";
import { createLogger, type Logger } from "../shared/logger.js";
import { setMetricsQueue } from "../shared/metrics.js";
import { redisReadiness } from "../channels/http-server.js";
import { runAsk } from "./commands/ask.js";
import { runCheck } from "./commands/check.js";
import { runIngestCommand } from "./commands/ingest.js";
import { runReport } from "./commands/report.js";
import { runSimilar } from "./commands/similar.js";
import { registerPilotCommands } from "./commands/pilots-cli.js";
import { createAssistant, type Assistant } from "./runtime.js";
import { configuredChannels, runServices, processHttpServers, shutdownDeadline, slackChannel, slackSettings, telegramService, withReadiness } from "./services.js";
import { TurnLog } from "../channels/turn-log.js";

// A .env file in the working directory fills in what the environment does not set (never overrides it).
if (existsSync(".env")) process.loadEnvFile(".env");

const langOption = () => new Option("--lang <lang>", "answer language").choices(["fr", "en"]);

const program = new Command().name("terrinclus").description("TERRINCLUS assistant: the ADF kit on international cooperation for economic and social inclusion").showHelpAfterError();

program
  .command("check")
  .description("validate the knowledge base (front matter, translations, links, sheet lengths, glossary)")
  .option("--dir <dir>", "knowledge directory")
  .option("--json", "one JSON object on standard output")
  .action(async (opts: { dir?: string; json?: boolean }) => {
    const config = loadConfig();
    process.exitCode = await runCheck(opts.dir ?? config.KNOWLEDGE_DIR, opts);
  });

program
  .command("ingest")
  .description("build or refresh the search index (exit 0: done, 2: some files skipped, 1: failed)")
  .option("--dir <dir>", "knowledge directory")
  .option("--out <dir>", "index directory")
  .option("--strict", "fail without writing the index when any file is invalid")
  .option("--force", "rebuild even when nothing changed")
  .option("--json", "one JSON object on standard output")
  .action(async (opts) => {
    process.exitCode = await runIngestCommand(loadConfig(), opts);
  });

program
  .command("ask")
  .description("answer a question from the kit; without a question, one question per line on standard input → JSON lines")
  .argument("[question]", "the question")
  .addOption(langOption())
  .option("--json", "one JSON line")
  .option("--conversation <id>", "use and update this conversation's context (follow-up questions)")
  .action(async (question: string | undefined, opts) => {
    await withAssistant((assistant) => runAsk(assistant.engine, question, opts));
  });

program
  .command("similar")
  .description("documented cooperations similar to a project description; without one, descriptions on standard input")
  .argument("[description]", "what the project is about")
  .option("--country <country>", "only this country (ISO code or name)", (v) => resolveCountry(v) ?? fail(`unknown country "${v}"`))
  .option("--theme <theme>", "only this theme (id or label)", (v) => resolveTheme(v) ?? fail(`unknown theme "${v}"`))
  .addOption(langOption())
  .option("--limit <n>", "number of results", (v) => positiveInt(v), 5)
  .option("--json", "one JSON line")
  .action(async (description: string | undefined, opts) => {
    await withAssistant((assistant) => runSimilar(assistant.engine, description, opts));
  });

program
  .command("chat")
  .description("interactive chat in the terminal")
  .action(async () => {
    await runChatCommand(loadConfig());
  });

program
  .command("report")
  .description("most frequent unanswered or badly rated questions, grouped")
  .option("--since <duration>", "period, e.g. 30d, 12h, 2w", "30d")
  .option("--limit <n>", "number of groups", (v) => positiveInt(v), 20)
  .option("--json", "one JSON object")
  .action(async (opts) => {
    await withAssistant((assistant) => runReport(assistant.engine, opts));
  });

program
  .command("telegram")
  .description("run the Telegram bot (long polling, or webhook when TELEGRAM_WEBHOOK_URL is set)")
  .action(async () => {
    await runTelegramCommand(loadConfig());
  });

program
  .command("slack")
  .description("run the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events)")
  .action(async () => {
    await runChannels(loadConfig(), ["slack"]);
  });

program
  .command("start")
  .description("run the product: every configured channel (Telegram, Slack) in one process, else the console chat")
  .action(async () => {
    const config = loadConfig();
    const channels = configuredChannels(config);
    await (channels.length ? runChannels(config, channels) : runChatCommand(config));
  });

registerPilotCommands(program);

program
  .command("doctor")
  .description("check configuration, Redis, index, pilot plans and platform tokens; say how to fix what is wrong (exit 1 on a problem)")
  .option("--json", "one JSON array of checks")
  .action(async (opts: { json?: boolean }) => {
    process.exitCode = await (await import("./commands/doctor.js")).runDoctor(opts);
  });

async function runChatCommand(config: Config): Promise<void> {
  await withAssistant(
    async (assistant) => {
      await runConsole(assistant.engine);
      return 0;
    },
    config,
    true,
  );
}

async function runTelegramCommand(config: Config): Promise<void> {
  if (!config.TELEGRAM_BOT_TOKEN) throw new ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token.");
  await runChannels(config, ["telegram"]);
}

/**
 * Runs chat channels in one process, on one engine and one Redis, until SIGINT or SIGTERM; with them the
 * reminders (`/milestones`, the reminder buttons) and, when pilot plans exist, the reminders' worker.
 */
async function runChannels(config: Config, channels: Array<"telegram" | "slack">): Promise<void> {
  // Settings first: a missing token or secret stops start-up before any index is built.
  const slack = channels.includes("slack") ? slackSettings(config) : undefined;
  const logger = createLogger(config.LOG_LEVEL);
  const assistant = await createAssistant(config, { requireRedis: true, logger });
  let disarm: () => void = () => undefined;
  try {
    const { remindersForChannels } = await import("./pilots-wiring.js");
    const reminders = await remindersForChannels(config, logger);
    // One server per port: health and metrics, with the Telegram webhook and Slack's HTTP receiver on it when they use its port.
    const http = processHttpServers(config, slack, channels.includes("telegram"));
    http.health.readiness("redis", redisReadiness(assistant.redis!));
    http.health.readiness("index", () => (assistant.index.size > 0 ? undefined : "the index holds no passage"));
    if (reminders.workerReadiness) http.health.readiness("worker", reminders.workerReadiness);
    setMetricsQueue(reminders.pilots.queue);
    const turns = new TurnLog(logger);
    const chats = [
      ...(channels.includes("telegram") ? [telegramService(config, assistant.engine, assistant.redis!, logger, turns, http.telegram, reminders.pilots)] : []),
      ...(slack ? [slackChannel(slack, assistant.engine, assistant.redis!, logger, turns, http.slack, reminders.pilots)] : []),
    ].map(withReadiness);
    for (const chat of chats) http.health.readiness(chat.name ?? "channel", chat.readiness);
    const inProgress: Service = { name: "updates in progress", start: async () => undefined, stop: () => turns.drained() };
    const services = [...http.servers, ...chats, inProgress, ...reminders.services];
    // On a signal: stop taking updates (polling, then the servers, which finish the requests they hold), finish the
    // updates in progress, close the worker (its jobs in progress finish first), then Redis, all within the deadline.
    const stopOrder = [...chats, ...http.servers, inProgress, ...reminders.services];
    const reload = () => void reloadIndex(assistant, logger);
    process.on("SIGHUP", reload);
    try {
      await runServices(services, logger, {
        stopOrder,
        onStopping: (_signal, pending) => {
          disarm = shutdownDeadline(config.SHUTDOWN_TIMEOUT_MS, logger, () => [...pending(), ...(turns.inFlight ? [`${turns.inFlight} update(s) in progress`] : [])]);
        },
      });
    } finally {
      process.off("SIGHUP", reload);
      await reminders.close();
    }
  } finally {
    await assistant.close();
    disarm();
  }
}

/** SIGHUP: answers come from the index in INDEX_DIR from now on (after `terrinclus ingest`); on failure the old one keeps serving. */
async function reloadIndex(assistant: Assistant, logger: Logger): Promise<void> {
  try {
    const index = await assistant.reloadIndex();
    logger.info({ passages: index.size }, "index reloaded");
  } catch (error) {
    logger.error({ code: errorCode(error), err: (error as Error).message }, "index reload failed");
  }
}

async function withAssistant(run: (assistant: Assistant) => Promise<number>, config: Config = loadConfig(), interactive = false): Promise<void> {
  const assistant = await createAssistant(config, { logger: createLogger(config.LOG_LEVEL), interactive });
  try {
    process.exitCode = await run(assistant);
  } finally {
    await assistant.close();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function fail(message: string): never {
  throw new InvalidArgumentError(message);
}

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CodedError) {
    // The code is stable, for scripts; the message says what to do.
    process.stderr.write(`${error.message} [${error.code}]\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`terrinclus: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
