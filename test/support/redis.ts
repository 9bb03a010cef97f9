/** A real Redis connection for one test file, with a key prefix of its own that is cleaned up afterwards. */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { TEST_REDIS_URL } from "./assistant.js";

export interface TestRedis {
  /** Connected in `beforeAll`. */
  readonly redis: Redis;
  /** Every key the file writes should start with this. */
  readonly prefix: string;
}

export function useTestRedis(name: string): TestRedis {
  const prefix = `terrinclus-test:${name}:${process.pid}:${randomBytes(4).toString("hex")}:`;
  const handle = { prefix } as { redis: Redis; prefix: string };
  beforeAll(async () => {
    handle.redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await handle.redis.connect();
  });
  afterAll(async () => {
    const keys = await handle.redis.keys(`${prefix}*`);
    if (keys.length) await handle.redis.del(...keys);
    await handle.redis.quit();
  });
  return handle;
}
