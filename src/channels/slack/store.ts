/**
 * What the Slack app keeps in Redis, shared by every instance: which events were already taken (once only,
 * also across instances) and the threads where the app answered (follow-ups there need no mention).
 */
import type { Redis } from "ioredis";

/** Slack retries an event three times over about five minutes: claims outlive that window by far. */
const CLAIM_TTL_SECONDS = 3600;

/** The Slack app's shared state in Redis: claimed events and the threads it answered in. */
export class SlackStore {
  constructor(
    private readonly redis: Redis,
    /** How long a thread is remembered after the app's last answer in it (the conversation's lifetime). */
    private readonly threadTtlSeconds: number,
    private readonly prefix = "terrinclus:slack:",
  ) {}

  /**
   * Takes an incoming message for this instance: true once only per event id and per channel + message ts
   * (an `app_mention` and a `message` event for one message, a retried event, another instance).
   */
  async claim(eventId: string | undefined, channel: string, ts: string): Promise<boolean> {
    if (eventId && !(await this.claimKey(`event:${eventId}`))) return false;
    return this.claimKey(`message:${channel}:${ts}`);
  }

  /** true the first time a key is claimed (SET NX with expiry). */
  async claimKey(key: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}claim:${key}`, "1", "EX", CLAIM_TTL_SECONDS, "NX")) === "OK";
  }

  /** Remembers a thread the app answered in, for `threadTtlSeconds` from now. */
  async rememberThread(team: string, channel: string, threadTs: string): Promise<void> {
    await this.redis.set(`${this.prefix}thread:${team}:${channel}:${threadTs}`, "1", "EX", this.threadTtlSeconds);
  }

  /** Whether the app answered in this thread within the remembered time. */
  async knowsThread(team: string, channel: string, threadTs: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}thread:${team}:${channel}:${threadTs}`)) === 1;
  }
}
