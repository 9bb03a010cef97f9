/**
 * The reminders in `terrinclus start`: the store and queue the bots' `/milestones` and buttons act on, and the
 * reminders' worker (posting through the configured channels' notifiers) when pilot plans exist, either as files
 * in PILOTS_DIR or as plans synced in Redis.
 */
import path from "node:path";
import type { ReadinessCheck } from "../channels/http-server.js";
import type { Service } from "../channels/service.js";
import type { Config } from "../config/config.js";
import type { ActionContext } from "../reminders/actions.js";
import { listPlanFiles } from "../reminders/load-plans.js";
import { openReminders, type RemindersRuntime } from "../reminders/runtime.js";
import type { Logger } from "../shared/logger.js";
import { reminderWorkerService } from "./commands/pilots.js";

export interface ChannelReminders {
  /** What the bots need to list milestones and act on them. */
  pilots: ActionContext;
  /** The worker, when there are plans; empty otherwise. */
  services: Service[];
  /** The worker's readiness check, when it runs. */
  workerReadiness?: ReadinessCheck;
  /** Closes the queue and its Redis connection (after the services have stopped). */
  close(): Promise<void>;
}

/** Opens the reminders on REDIS_URL (the bots require it) and decides whether the worker runs beside them. */
export async function remindersForChannels(config: Config, logger: Logger): Promise<ChannelReminders> {
  if (!config.REDIS_URL) throw new Error("REDIS_URL is required (conversations, rate limits and reminders are kept in Redis).");
  const runtime = await openReminders(config.REDIS_URL);
  try {
    const withWorker = config.REMINDERS_WORKER === "auto" && (await plansExist(config, runtime));
    if (!withWorker) logger.info({ pilotsDir: config.PILOTS_DIR, remindersWorker: config.REMINDERS_WORKER }, "the reminder worker is not started here (REMINDERS_WORKER=off, or no pilot plan in files or synced)");
    const worker = withWorker ? reminderWorkerService(config, logger, runtime) : undefined;
    return {
      pilots: { queue: runtime.queue, store: runtime.store },
      services: worker ? [worker] : [],
      ...(worker ? { workerReadiness: worker.readiness } : {}),
      close: () => runtime.close(),
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** Whether there are pilot plans, as files in PILOTS_DIR or as plans synced in Redis. */
async function plansExist(config: Config, runtime: RemindersRuntime): Promise<boolean> {
  return (await listPlanFiles(path.resolve(config.PILOTS_DIR))).length > 0 || (await runtime.store.planCount()) > 0;
}
