/**
 * Registers `terrinclus pilots …` and `terrinclus worker` on the command line. The commands' modules (BullMQ,
 * luxon: about a second of imports) are loaded only when one of these commands runs.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { loadConfig } from "../../config/config.js";
import { createLogger } from "../../shared/logger.js";
import { runServices, shutdownDeadline } from "../services.js";

const commands = () => import("./pilots.js");

function months(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 240) throw new InvalidArgumentError("a whole number of months (1 to 240)");
  return n;
}

/** Adds `pilots new|check|sync|status` and `worker` to the program, each loading its module when it runs. */
export function registerPilotCommands(program: Command): void {
  const pilots = program.command("pilots").description("pilot teams' plans (PILOTS_DIR) and their reminders");

  pilots
    .command("new")
    .description("write a plan for a team to edit, from the kit's calendar (phases, milestones, sheets)")
    .argument("<id>", "pilot id (lowercase, dashes)")
    .requiredOption("--start <date>", "first day of the project (yyyy-mm-dd)")
    .requiredOption("--months <n>", "duration of the project in months", months)
    .option("--timezone <zone>", "IANA time zone of the team", "Europe/Paris")
    .addOption(new Option("--lang <lang>", "language of the plan and reminders").choices(["fr", "en"]).default("fr"))
    .option("--force", "overwrite an existing plan")
    .action(async (id: string, opts) => {
      process.exitCode = await (await commands()).runPilotsNew(loadConfig(), id, opts);
    });

  pilots
    .command("check")
    .description("validate every plan and print the upcoming reminders in each pilot's local time")
    .option("--json", "one JSON object")
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await (await commands()).runPilotsCheck(loadConfig(), opts);
    });

  pilots
    .command("sync")
    .description("make the reminder queue match the plans (idempotent)")
    .option("--dry-run", "print the difference without changing anything")
    .action(async (opts: { dryRun?: boolean }) => {
      process.exitCode = await (await commands()).runPilotsSync(loadConfig(), opts);
    });

  pilots
    .command("status")
    .description("milestones done or snoozed, next reminders, delivery errors not retried")
    .option("--json", "one JSON object")
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await (await commands()).runPilotsStatus(loadConfig(), opts);
    });

  program
    .command("worker")
    .description("run the reminders' worker alone (several may run at once) until SIGINT or SIGTERM")
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.LOG_LEVEL);
      const worker = (await commands()).reminderWorkerService(config, logger);
      // /healthz, /readyz and /metrics of the worker alone.
      const { HttpServer } = await import("../../channels/http-server.js");
      const health = new HttpServer(config.METRICS_PORT ?? config.PORT);
      health.readiness("worker", worker.readiness);
      let disarm: () => void = () => undefined;
      try {
        await runServices([health, worker], logger, { onStopping: (_signal, pending) => (disarm = shutdownDeadline(config.SHUTDOWN_TIMEOUT_MS, logger, pending)) });
      } finally {
        disarm();
      }
    });
}
