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
    for (;;) {
      const second = Math.floor(Date.now() / 1000);
      const key = `${this.namespace}:pace:${channel.platform}:s${second}`;
      const [[, count]] = (await this.redis.multi().incr(key).expire(key, 2).exec()) as [[null, number], [null, number]];
      if (count <= rate.perSecond) return;
      await sleep((second + 1) * 1000 - Date.now() + 1);
    }
  }
}
