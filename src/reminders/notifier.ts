/**
 * What the reminders need from a chat platform: post one message to one channel. The Telegram and Slack
 * channels implement it; the reminders code knows no platform.
 */
import { CodedError } from "../shared/errors.js";
import { z } from "zod";
import type { PilotMessage } from "./message.js";

export const PlatformSchema = z.enum(["telegram", "slack"]);
export type Platform = z.infer<typeof PlatformSchema>;

/** A chat of a pilot: a Telegram chat id or a Slack channel id, as a string. */
export interface ChannelRef {
  platform: Platform;
  id: string;
}

/** What the platform answered for an accepted message. */
export interface Delivery {
  /** The platform's id of the message (Telegram message_id, Slack ts). */
  messageId: string;
}

export type DeliveryErrorKind = "permanent" | "transient";

/**
 * A failed send, classified. Permanent: retrying cannot help (bot blocked, chat not found, channel_not_found,
 * not_in_channel). Transient: network, 5xx, 429 (then `retryAfterMs` says how long the platform asked to wait).
 */
export class DeliveryError extends CodedError {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(kind === "permanent" ? "DELIVERY_PERMANENT" : "DELIVERY_TRANSIENT", message);
  }
}

/** Posts pilot messages to one platform. Throws DeliveryError when the platform refuses or cannot be reached. */
export interface Notifier {
  readonly platform: Platform;
  notify(channel: ChannelRef, message: PilotMessage): Promise<Delivery>;
}

/** Any error as a DeliveryError: unknown failures count as transient (retrying is the safe choice). */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError("transient", (error as Error)?.message ?? String(error));
}

/** The channels of a plan, as refs. */
export function planChannels(channels: { telegram: number[]; slack: string[] }): ChannelRef[] {
  return [...channels.telegram.map((id) => ({ platform: "telegram" as const, id: String(id) })), ...channels.slack.map((id) => ({ platform: "slack" as const, id }))];
}
