/**
 * Send-rate limits shared by every worker through Redis: at most one message per interval to one chat, and at
 * most `perSecond` messages per second to one platform (Telegram: about 1 per second per chat and 30 per second
 * per bot; Slack: about 1 per second per channel).
 */
import type { Redis } from "ioredis";
import type { ChannelRef, Platform } from "./notifier.js";

export interface PlatformRate {
  /** Minimum gap between two messages to one chat, ms. */
  perChatIntervalMs: number;
  /** Messages per second to the platform, all chats together. */
  perSecond: number;
}

export const PLATFORM_RATES: Record<Platform, PlatformRate> = {
  telegram: { perChatIntervalMs: 1000, perSecond: 30 },
  slack: { perChatIntervalMs: 1000, perSecond: 50 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hands out send slots per chat and per platform, in Redis, so every worker keeps to the platforms' rates. */
export class Pacer {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly rates: Record<Platform, PlatformRate> = PLATFORM_RATES,
  ) {}

  /** Waits until a message may go to `channel`, and takes that slot. */
  async acquire(channel: ChannelRef): Promise<void> {
    const rate = this.rates[channel.platform];
    const chatKey = `${this.namespace}:pace:${channel.platform}:${channel.id}`;
    for (;;) {
      if (await this.redis.set(chatKey, "1", "PX", rate.perChatIntervalMs, "NX")) break;
      await sleep(Math.max(5, await this.redis.pttl(chatKey)));
    }
    // Evenly spaced slots, not a count per clock second: a count lets twice the rate through across a second's
    // boundary, and Telegram answers that with 429.
    const gap = Math.ceil(1000 / rate.perSecond) + 1;
    const wait = (await this.redis.eval(NEXT_SLOT, 1, `${this.namespace}:pace:${channel.platform}:next`, gap)) as number;
    if (wait > 0) await sleep(wait);
  }
}

/** Takes the platform's next free slot (KEYS[1] holds it, in ms of Redis time; ARGV[1]: gap) and returns how long to wait for it. */
const NEXT_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000)
return slot - now`;
