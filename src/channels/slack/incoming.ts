/** Incoming Slack payloads, validated with zod before any handler reads them. */
import { z } from "zod";

/** A message event (`app_mention`, or `message` in a channel, a thread or a direct message). */
export const MessageEventSchema = z.object({
  type: z.enum(["app_mention", "message"]),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(""),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

/** A button press (`block_actions`). */
export const BlockActionSchema = z.object({
  user: z.object({ id: z.string() }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** The workspace a payload comes from (events, commands and interactions name it differently). */
export function teamOf(body: unknown): string | undefined {
  const b = body as { team_id?: unknown; team?: { id?: unknown } | null; user?: { team_id?: unknown }; authorizations?: Array<{ team_id?: unknown }> };
  const candidates = [b?.team_id, b?.team?.id, b?.user?.team_id, b?.authorizations?.[0]?.team_id];
  return candidates.find((c): c is string => typeof c === "string" && c.length > 0);
}

/** Direct-message channels have ids starting with D. */
export function isDirectMessage(channel: string, channelType?: string): boolean {
  return channelType === "im" || (channelType === undefined && channel.startsWith("D"));
}
