/** Wiring shared by the command line and `npm start`: Redis connection for BullMQ, store, queue and sheets. */
import { Redis } from "ioredis";
import type { Queue } from "bullmq";
import { createQueue, type PilotJob } from "./queue.js";
import { SheetCatalog } from "./sheets.js";
import { PilotStore } from "./store.js";

export interface RemindersRuntime {
  /** The connection BullMQ and the store share (maxRetriesPerRequest: null, as BullMQ workers need). */
  redis: Redis;
  store: PilotStore;
  queue: Queue<PilotJob>;
  close(): Promise<void>;
}

/** Connects to Redis (failing fast when it does not answer) and opens the queue. */
export async function openReminders(redisUrl: string, options: { prefix?: string; namespace?: string } = {}): Promise<RemindersRuntime> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 2000, retryStrategy: (n) => (n > 3 ? null : n * 200) });
  await redis.connect().catch((error: Error) => {
    redis.disconnect();
    throw new Error(`Redis does not answer (${error.message}): reminders need REDIS_URL.`);
  });
  const store = new PilotStore(redis, options.namespace);
  const queue = createQueue({ connection: redis, ...(options.prefix ? { prefix: options.prefix } : {}) });
  return {
    redis,
    store,
    queue,
    close: async () => {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export { SheetCatalog };
