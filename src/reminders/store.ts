/**
 * The plan state shared by the bots and the workers, in Redis: the plans as last synced, the done and snoozed
 * milestones, the delivery records (idempotency keys) and the permanent delivery errors.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { PlanSchema, type Plan } from "./plan.js";
import { PlatformSchema, type ChannelRef } from "./notifier.js";

/** Default namespace of the reminders' Redis keys. */
const DEFAULT_NAMESPACE = "terrinclus:pilots";
/** How long a delivery record is kept: longer than any retry or stalled-job recovery. */
const SENT_TTL_SECONDS = 90 * 24 * 3600;
const MAX_ERRORS = 50;

const ActorSchema = z.object({ platform: PlatformSchema, id: z.string(), user: z.string().optional() });
const MilestoneStateSchema = z.object({
  done: z.object({ at: z.number(), by: ActorSchema.optional() }).optional(),
  snooze: z.object({ until: z.number(), jobId: z.string(), by: ActorSchema.optional() }).optional(),
});
export type MilestoneState = z.infer<typeof MilestoneStateSchema>;

const DeliveryFailureSchema = z.object({
  at: z.number(),
  reminderId: z.string(),
  milestoneId: z.string().optional(),
  channel: z.object({ platform: PlatformSchema, id: z.string() }),
  message: z.string(),
});
export type DeliveryFailure = z.infer<typeof DeliveryFailureSchema>;

/** Short, stable reference of a milestone for button payloads (Telegram allows 64 bytes). */
export function milestoneRef(pilotId: string, milestoneId: string): string {
  return createHash("sha256").update(`${pilotId}/${milestoneId}`).digest("base64url").slice(0, 12);
}

/** Reads and writes the reminders' shared state under one Redis namespace. */
export class PilotStore {
  constructor(
    readonly redis: Redis,
    readonly namespace = DEFAULT_NAMESPACE,
  ) {}

  private key(...parts: string[]): string {
    return [this.namespace, ...parts].join(":");
  }

  /** Stores the plans as synced (and their milestones' refs); plans not listed are deleted. */
  async savePlans(plans: Plan[]): Promise<void> {
    const current = new Set(plans.map((p) => p.id));
    const stale = (await this.redis.hkeys(this.key("plans"))).filter((id) => !current.has(id));
    const multi = this.redis.multi();
    if (stale.length) multi.hdel(this.key("plans"), ...stale);
    for (const plan of plans) {
      multi.hset(this.key("plans"), plan.id, JSON.stringify(plan));
      for (const m of plan.milestones) multi.hset(this.key("refs"), milestoneRef(plan.id, m.id), `${plan.id}/${m.id}`);
    }
    await multi.exec();
  }

  /** The plan of a pilot as last synced. */
  async plan(pilotId: string): Promise<Plan | undefined> {
    const raw = await this.redis.hget(this.key("plans"), pilotId);
    return raw ? PlanSchema.parse(JSON.parse(raw)) : undefined;
  }

  /** Every synced plan. */
  async plans(): Promise<Plan[]> {
    const all = await this.redis.hvals(this.key("plans"));
    return all.map((raw) => PlanSchema.parse(JSON.parse(raw)));
  }

  /** How many plans are synced. */
  async planCount(): Promise<number> {
    return this.redis.hlen(this.key("plans"));
  }

  /** The pilot and milestone a button's ref stands for. */
  async resolveRef(ref: string): Promise<{ pilotId: string; milestoneId: string } | undefined> {
    const value = await this.redis.hget(this.key("refs"), ref);
    const [pilotId, milestoneId] = value?.split("/") ?? [];
    return pilotId && milestoneId ? { pilotId, milestoneId } : undefined;
  }

  /** A milestone's done and snooze state; empty when it has none. */
  async milestoneState(pilotId: string, milestoneId: string): Promise<MilestoneState> {
    const raw = await this.redis.hget(this.key("state", pilotId), milestoneId);
    return raw ? MilestoneStateSchema.parse(JSON.parse(raw)) : {};
  }

  /** Every milestone state of a pilot, by milestone id. */
  async pilotState(pilotId: string): Promise<Map<string, MilestoneState>> {
    const all = await this.redis.hgetall(this.key("state", pilotId));
    return new Map(Object.entries(all).map(([id, raw]) => [id, MilestoneStateSchema.parse(JSON.parse(raw))]));
  }

  /** Replaces a milestone's state as a whole: what `state` leaves out is dropped. */
  async setMilestoneState(pilotId: string, milestoneId: string, state: MilestoneState): Promise<void> {
    await this.redis.hset(this.key("state", pilotId), milestoneId, JSON.stringify(state));
  }

  private sentKey(reminderId: string, channel: ChannelRef): string {
    return this.key("sent", reminderId, channel.platform, channel.id);
  }

  /** True when this reminder already reached this channel (or was refused for good by it). */
  async wasDelivered(reminderId: string, channel: ChannelRef): Promise<boolean> {
    return (await this.redis.exists(this.sentKey(reminderId, channel))) === 1;
  }

  /** The idempotency key, written right after the platform accepted the message (`messageId` "failed" for a permanent refusal). */
  async recordDelivery(reminderId: string, channel: ChannelRef, messageId: string): Promise<void> {
    await this.redis.set(this.sentKey(reminderId, channel), messageId, "EX", SENT_TTL_SECONDS);
  }

  /** Keeps the last permanent delivery errors of a pilot, for `pilots status`. */
  async recordFailure(pilotId: string, failure: DeliveryFailure): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key("errors", pilotId), JSON.stringify(failure))
      .ltrim(this.key("errors", pilotId), 0, MAX_ERRORS - 1)
      .exec();
  }

  /** The last permanent delivery errors of a pilot, newest first. */
  async failures(pilotId: string): Promise<DeliveryFailure[]> {
    const all = await this.redis.lrange(this.key("errors", pilotId), 0, MAX_ERRORS - 1);
    return all.map((raw) => DeliveryFailureSchema.parse(JSON.parse(raw)));
  }
}
