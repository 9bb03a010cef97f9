/** The one place Redis connections are made, with the settings each use needs. */
import { Redis } from "ioredis";

/**
 * - `requests`: bots and the command line. A command fails after two retries rather than hang a chat.
 * - `queue`: BullMQ queues and workers, which require `maxRetriesPerRequest: null` and wait for Redis to come back.
 * Both fail fast when Redis does not answer at start-up, and reconnect without end once they have connected.
 */
export type RedisRole = "requests" | "queue";

/** A Redis client for `role`, not yet connected (lazyConnect): the first command, or `connect()`, opens it. */
export function createRedis(url: string, role: RedisRole): Redis {
  let connected = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    // A refused connection fails at once; a slow one (a busy machine) gets a few seconds before falling back.
    connectTimeout: 5000,
    maxRetriesPerRequest: role === "queue" ? null : 2,
    retryStrategy: (attempt) => (connected ? Math.min(attempt * (role === "queue" ? 500 : 200), role === "queue" ? 5000 : 2000) : null),
  });
  redis.once("ready", () => {
    connected = true;
  });
  return redis;
}

/** A URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
