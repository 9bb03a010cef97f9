/** Cleans up what a benchmark wrote to Redis: every key matching a pattern of its own, by SCAN (never KEYS or FLUSHDB). */
import type { Redis } from "ioredis";

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [nextCursor, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = nextCursor;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
