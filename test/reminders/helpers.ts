/** Shared set-up of the reminders' tests: plans in a temp directory, an isolated BullMQ prefix and key namespace. */
import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { createLogger } from "../../src/shared/logger.js";
import { PlanSchema, type Plan } from "../../src/reminders/plan.js";
import { createQueue } from "../../src/reminders/queue.js";
import { SheetCatalog } from "../../src/reminders/sheets.js";
import { PilotStore } from "../../src/reminders/store.js";
import { TEST_REDIS_URL } from "../support/assistant.js";

export const logger = createLogger("silent");
let catalog: Promise<SheetCatalog> | undefined;
/** The shipped kit's sheets. */
export const sheets = () => (catalog ??= SheetCatalog.load(path.resolve("knowledge")));

/** A valid plan from a partial one (channels, milestones and zone defaulted). */
export function plan(partial: Partial<Plan> & { id: string }): Plan {
  return PlanSchema.parse({
    name: `Test ${partial.id}`,
    timezone: "Europe/Paris",
    channels: { telegram: [-100200300], slack: [] },
    milestones: [{ id: "diagnostic", title: "Diagnostic validé", due: "2030-02-15", sheet: "diagnostic-partage" }],
    ...partial,
  });
}

export async function planDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-pilots-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** Redis, a store and a queue under a prefix and namespace of this test file's own; `cleanup` removes their keys. */
export async function isolatedQueue(name: string) {
  const id = `${name}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `trq-${id}`;
  const namespace = `trs-${id}`;
  const store = new PilotStore(redis, namespace);
  const queue = createQueue({ connection: redis, prefix });
  return {
    redis,
    prefix,
    namespace,
    store,
    queue,
    /** Deletes every key of this prefix and namespace (what a FLUSHDB would do to them). */
    async wipe() {
      for (const pattern of [`${prefix}:*`, `${namespace}:*`]) {
        const keys = await redis.keys(pattern);
        if (keys.length) await redis.del(...keys);
      }
    },
    async cleanup() {
      await queue.close();
      await this.wipe();
      await redis.quit();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling every 20 ms. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An ISO local date-time (no offset) `ms` from now in `zone`, truncated to the second (so up to 1 s earlier). */
export function localIn(ms: number, zone = "Europe/Paris"): string {
  return new Date(Date.now() + ms).toLocaleString("sv-SE", { timeZone: zone }).replace(" ", "T");
}
