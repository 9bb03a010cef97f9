/**
 * Done and snooze as typed commands (`/done <milestone>`, `/snooze <milestone> 1d|1w`, and Slack's
 * `/terrinclus done|snooze …`): the arguments validated with zod, the milestone found among the pilots of the chat
 * the command was typed in, then the same `markDone` / `snooze` as the buttons. Platform-free: the channels only
 * pass the text after the command and render the outcome.
 */
import { z } from "zod";
import { isMember, markDone, snooze, type ActionContext, type ActionResult } from "./actions.js";
import { SNOOZE_DURATIONS, type MilestoneAction } from "./chat-actions.js";
import type { ChannelRef } from "./notifier.js";
import { dueDateTime, SLUG, type Lang, type Plan } from "./plan.js";

/** A milestone as typed: its id, or `pilot-id/milestone-id` (case-insensitive). */
const MilestoneArgSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.split("/"))
  .pipe(z.union([z.tuple([z.string().regex(SLUG)]), z.tuple([z.string().regex(SLUG), z.string().regex(SLUG)])]))
  .transform((parts) => (parts.length === 2 ? { pilotId: parts[0], milestoneId: parts[1] } : { milestoneId: parts[0] }));
type MilestoneArg = z.infer<typeof MilestoneArgSchema>;

/** A snooze's length as typed: one day (`1d`, French `1j`) or one week (`1w`, French `1sem`). */
const SnoozeArgSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["1d", "1j", "1w", "1sem"]))
  .transform((s): Exclude<MilestoneAction, "done"> => (s === "1d" || s === "1j" ? "snooze-day" : "snooze-week"));

/** What a typed command asks for, or what is wrong with its arguments. */
type ParsedMilestoneCommand = { ok: true; action: MilestoneAction; milestone: MilestoneArg } | { ok: false; command: "done" | "snooze"; problem: "missing" | "bad-milestone" | "bad-duration"; arg?: string };

/** Parses the text after `/done` (`command: "done"`) or `/snooze` (`command: "snooze"`). */
function parseMilestoneCommand(command: "done" | "snooze", args: string): ParsedMilestoneCommand {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const fail = (problem: "missing" | "bad-milestone" | "bad-duration", arg?: string): ParsedMilestoneCommand => ({ ok: false, command, problem, ...(arg !== undefined ? { arg } : {}) });
  const [first, second, ...rest] = words;
  if (!first) return fail("missing");
  const milestone = MilestoneArgSchema.safeParse(first);
  if (!milestone.success) return fail("bad-milestone", first);
  if (command === "done") return second === undefined ? { ok: true, action: "done", milestone: milestone.data } : fail("bad-milestone", words.join(" "));
  if (second === undefined) return fail("bad-duration");
  const duration = SnoozeArgSchema.safeParse(second);
  if (!duration.success || rest.length) return fail("bad-duration", [second, ...rest].join(" "));
  return { ok: true, action: duration.data, milestone: milestone.data };
}

/** An open milestone of the chat, as the messages name it. */
export interface ChatMilestoneId {
  /** What to type: the milestone id, or `pilot-id/milestone-id` when the id is in several of the chat's pilots. */
  name: string;
  title: string;
}

/** What a typed command came to. */
export type MilestoneCommandOutcome =
  /** The arguments were wrong: say how to write the command, and which milestones the chat has. */
  | { kind: "usage"; command: "done" | "snooze"; problem: "missing" | "bad-milestone" | "bad-duration"; arg?: string; available: ChatMilestoneId[]; lang?: Lang }
  /** The chat is in no synced plan. */
  | { kind: "no-pilot" }
  /** No milestone of that name among the chat's pilots. */
  | { kind: "unknown"; arg: string; available: ChatMilestoneId[]; lang?: Lang }
  /** The id is in several of the chat's pilots: these are the names to type. */
  | { kind: "ambiguous"; arg: string; candidates: ChatMilestoneId[]; lang?: Lang }
  /** Done or snoozed, or refused by the store (not a member, already done). */
  | { kind: "result"; result: ActionResult };

/** The open (not done) milestones of the chat's pilots, earliest due first, each named as it must be typed. */
async function openMilestones(ctx: ActionContext, plans: Plan[]): Promise<ChatMilestoneId[]> {
  const count = new Map<string, number>();
  for (const p of plans) for (const m of p.milestones) count.set(m.id, (count.get(m.id) ?? 0) + 1);
  const out: Array<ChatMilestoneId & { due: number }> = [];
  for (const plan of plans) {
    const states = await ctx.store.pilotState(plan.id);
    for (const m of plan.milestones) {
      if (states.get(m.id)?.done) continue;
      out.push({ name: (count.get(m.id) ?? 0) > 1 ? `${plan.id}/${m.id}` : m.id, title: m.title, due: dueDateTime(m, plan.timezone).toMillis() });
    }
  }
  return out.sort((a, b) => a.due - b.due).map(({ name, title }) => ({ name, title }));
}

/**
 * Runs a typed done / snooze for `chat`: the milestone is looked up among the pilots whose plan lists the chat
 * (a `pilot-id/milestone-id` naming a pilot the chat is not in is refused as not a member).
 */
export async function runMilestoneCommand(ctx: ActionContext, chat: ChannelRef & { user?: string }, command: "done" | "snooze", args: string): Promise<MilestoneCommandOutcome> {
  const parsed = parseMilestoneCommand(command, args);
  const plans = (await ctx.store.plans()).filter((p) => isMember(p, chat)).sort((a, b) => a.id.localeCompare(b.id));
  const lang = plans[0]?.lang;
  const withLang = lang ? { lang } : {};
  if (!parsed.ok) {
    if (!plans.length) return { kind: "no-pilot" };
    return { kind: "usage", command: parsed.command, problem: parsed.problem, ...(parsed.arg !== undefined ? { arg: parsed.arg } : {}), available: await openMilestones(ctx, plans), ...withLang };
  }
  const { milestone } = parsed;
  const act = (pilotId: string, milestoneId: string): Promise<ActionResult> =>
    parsed.action === "done" ? markDone(ctx, pilotId, milestoneId, chat) : snooze(ctx, pilotId, milestoneId, SNOOZE_DURATIONS[parsed.action], chat);
  if (milestone.pilotId !== undefined) {
    const named = await ctx.store.plan(milestone.pilotId);
    // A pilot the chat is not in: refused like a button pressed in the wrong chat (when that milestone exists).
    if (named?.milestones.some((m) => m.id === milestone.milestoneId) && !isMember(named, chat)) return { kind: "result", result: { ok: false, reason: "not-member" } };
  }
  if (!plans.length) return { kind: "no-pilot" };
  const arg = milestone.pilotId !== undefined ? `${milestone.pilotId}/${milestone.milestoneId}` : milestone.milestoneId;
  const matches = plans.filter((p) => (milestone.pilotId === undefined || p.id === milestone.pilotId) && p.milestones.some((m) => m.id === milestone.milestoneId));
  if (!matches.length) return { kind: "unknown", arg, available: await openMilestones(ctx, plans), ...withLang };
  if (matches.length > 1) {
    const candidates = matches.map((p) => ({ name: `${p.id}/${milestone.milestoneId}`, title: p.milestones.find((m) => m.id === milestone.milestoneId)!.title }));
    return { kind: "ambiguous", arg, candidates, ...withLang };
  }
  return { kind: "result", result: await act(matches[0]!.id, milestone.milestoneId) };
}
