/** The upcoming milestones of the pilots a chat belongs to, for `/milestones` and `/terrinclus milestones`. */
import { DateTime } from "luxon";
import { isMember } from "./actions.js";
import { milestoneLine, type MilestoneLine } from "./message.js";
import type { ChannelRef } from "./notifier.js";
import { dueDateTime, type Lang } from "./plan.js";
import { milestoneRef, type PilotStore } from "./store.js";

/** One open milestone as a chat lists it. */
interface ChatMilestone extends MilestoneLine {
  /** The ref its buttons carry. */
  ref: string;
  /** When a snooze will remind the chats again, in the pilot's local time (written for the list's language). */
  snoozedUntil?: string;
}

/** One pilot of the chat with its next open milestones, earliest first. */
export interface ChatPilot {
  pilotId: string;
  pilotName: string;
  timezone: string;
  milestones: ChatMilestone[];
  /** Open upcoming milestones left out by the limit. */
  more: number;
}

/**
 * The pilots whose plan (as last synced) lists `chat`, each with its open milestones due today or later in the
 * pilot's zone (done ones left out), at most `limit` per pilot, due texts in `lang` and the pilot's local time.
 */
export async function chatMilestones(store: PilotStore, chat: ChannelRef, options: { lang: Lang; now?: number; limit?: number }): Promise<ChatPilot[]> {
  const now = options.now ?? Date.now();
  const limit = options.limit ?? 8;
  const plans = (await store.plans()).filter((p) => isMember(p, chat)).sort((a, b) => a.name.localeCompare(b.name));
  const out: ChatPilot[] = [];
  for (const plan of plans) {
    const states = await store.pilotState(plan.id);
    const today = DateTime.fromMillis(now, { zone: plan.timezone }).startOf("day").toMillis();
    const open = plan.milestones
      .filter((m) => !states.get(m.id)?.done && dueDateTime(m, plan.timezone).toMillis() >= today)
      .sort((a, b) => dueDateTime(a, plan.timezone).toMillis() - dueDateTime(b, plan.timezone).toMillis());
    const milestones = open.slice(0, limit).map((m): ChatMilestone => {
      const snoozed = states.get(m.id)?.snooze;
      return {
        ...milestoneLine(plan, m, now, options.lang),
        ref: milestoneRef(plan.id, m.id),
        ...(snoozed && snoozed.until > now ? { snoozedUntil: localDateTime(snoozed.until, plan.timezone, options.lang) } : {}),
      };
    });
    out.push({ pilotId: plan.id, pilotName: plan.name, timezone: plan.timezone, milestones, more: open.length - milestones.length });
  }
  return out;
}

/** "lundi 15 février 2027 à 09:00 (Europe/Paris)" / "Monday, 15 February 2027 at 09:00 (Europe/Paris)". */
export function localDateTime(ms: number, zone: string, lang: Lang): string {
  const at = DateTime.fromMillis(ms, { zone }).setLocale(lang === "fr" ? "fr-FR" : "en-GB");
  return `${at.toLocaleString(DateTime.DATE_HUGE)}, ${at.toLocaleString(DateTime.TIME_24_SIMPLE)} (${zone})`;
}
