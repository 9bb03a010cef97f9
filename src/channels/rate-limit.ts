/** A per-user rate limit kept in Redis, so every bot instance counts the same questions. */
import type { Redis } from "ioredis";

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (when refused). */
  retryAfter: number;
  /** true only for the first refused request of a window: tell the user once, not at every message. */
  firstRefusal: boolean;
}

/** At most `limit` requests per key in each fixed window of `windowSeconds`, counted in Redis. */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly prefix = "terrinclus:rate:",
  ) {}

  /** Counts one request for `key` in a fixed window. */
  async hit(key: string): Promise<RateDecision> {
    const redisKey = this.prefix + key;
    const [[, count], [, ttl]] = (await this.redis.multi().incr(redisKey).pttl(redisKey).exec()) as [[null, number], [null, number]];
    if (ttl < 0) await this.redis.pexpire(redisKey, this.windowSeconds * 1000);
    const retryAfter = Math.max(1, Math.ceil((ttl < 0 ? this.windowSeconds * 1000 : ttl) / 1000));
    return { allowed: count <= this.limit, retryAfter, firstRefusal: count === this.limit + 1 };
  }
}
