/** Wiring shared by the command line and `npm start`: Redis connection for BullMQ, store, queue and sheets. */
import type { Redis } from "ioredis";
import { createRedis } from "../shared/redis.js";
import type { Queue } from "bullmq";
import { createQueue, type PilotJob } from "./queue.js";
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
  const redis = createRedis(redisUrl, "queue");
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
