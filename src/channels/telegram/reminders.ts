/**
 * The reminders' Notifier for Telegram: a reminder or a digest as one HTML message (sendMessage), a reminder
 * with the buttons done / snooze one day / snooze one week. Errors are classified for the worker: 429, 5xx and
 * network failures are transient (with Telegram's retry_after); blocked bot, chat not found and other refusals
 * are permanent. No automatic retry here: the worker's backoff handles it, once per reminder and channel.
 */
import { Api, GrammyError, HttpError, InlineKeyboard } from "grammy";
import { z } from "zod";
import { MilestoneRefSchema, type MilestoneAction } from "../../reminders/chat-actions.js";
import { daysLeftText, MESSAGE_TEXTS, type DigestMessage, type MilestoneLine, type PilotMessage, type ReminderMessage } from "../../reminders/message.js";
import { DeliveryError, type ChannelRef, type Delivery, type Notifier } from "../../reminders/notifier.js";
import { countApiErrors } from "./api-errors.js";
import { escapeHtml } from "./html.js";
import { MAX_CALLBACK_BYTES } from "./callbacks.js";

/** A reminder button's action: done, snooze one day, snooze one week. */
export type ReminderAction = MilestoneAction;
const ACTION_CODES: Record<ReminderAction, string> = { done: "d", "snooze-day": "s1", "snooze-week": "s7" };

/** `ms:<d|s1|s7>:<ref>`: distinct from the answers' payloads (src, sim, more, fb, sec), under 64 bytes. */
export function encodeReminderCallback(action: ReminderAction, ref: string): string {
  const data = `ms:${ACTION_CODES[action]}:${ref}`;
  if (Buffer.byteLength(data) > MAX_CALLBACK_BYTES) throw new Error(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${data}`);
  return data;
}

/** A reminder button's callback data, validated: `ms:<code>:<ref>` into its action and milestone ref. */
const ReminderCallbackSchema = z
  .string()
  .max(MAX_CALLBACK_BYTES)
  .transform((data) => data.split(":"))
  .pipe(z.tuple([z.literal("ms"), z.enum(["d", "s1", "s7"]), MilestoneRefSchema]))
  .transform(([, code, ref]) => ({ action: (Object.keys(ACTION_CODES) as ReminderAction[]).find((a) => ACTION_CODES[a] === code)!, ref }));

/** The action and milestone ref of a reminder button, or undefined for any other payload. */
export function decodeReminderCallback(data: string | undefined): { action: ReminderAction; ref: string } | undefined {
  const parsed = ReminderCallbackSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

const MAX_SUMMARY = 700;

function line(m: MilestoneLine, lang: "fr" | "en"): string {
  return `• ${escapeHtml(m.title)} — ${escapeHtml(m.dueText)} (${daysLeftText(m.daysLeft, lang)})`;
}

/** The HTML text of a reminder. */
function renderReminderHtml(m: ReminderMessage): string {
  const t = MESSAGE_TEXTS[m.lang];
  const parts = [`⏰ <b>${escapeHtml(m.title)}</b>`, `<i>${escapeHtml(m.pilotName)}</i>`, `${t.due} : ${escapeHtml(m.dueText)} — <b>${daysLeftText(m.daysLeft, m.lang)}</b>`];
  if (m.owner) parts.push(`${t.owner} : ${escapeHtml(m.owner)}`);
  if (m.sheet) {
    const summary = m.sheet.summary.length > MAX_SUMMARY ? `${m.sheet.summary.slice(0, MAX_SUMMARY - 1)}…` : m.sheet.summary;
    parts.push("", `📘 <b>${escapeHtml(m.sheet.title)}</b>`, escapeHtml(summary));
    if (m.sheet.checklist.length) parts.push("", `<b>${t.checklist}</b>`, ...m.sheet.checklist.map((c) => `☐ ${escapeHtml(c)}`));
    parts.push("", `${t.ask} : <code>/ask ${escapeHtml(m.sheet.title)}</code>`);
  }
  return parts.join("\n").replace(/ : /g, m.lang === "fr" ? " : " : ": ");
}

/** The HTML text of a weekly digest. */
function renderDigestHtml(m: DigestMessage): string {
  const t = MESSAGE_TEXTS[m.lang];
  const parts = [`📅 <b>${t.digest}</b> — ${escapeHtml(m.pilotName)}`];
  if (m.overdue.length) parts.push("", `<b>${t.overdue}</b>`, ...m.overdue.map((x) => line(x, m.lang)));
  if (m.upcoming.length) parts.push("", `<b>${t.upcoming}</b>`, ...m.upcoming.map((x) => line(x, m.lang)));
  if (!m.overdue.length && !m.upcoming.length) parts.push(t.nothing);
  return parts.join("\n");
}

/** The done / +1 day / +1 week buttons of a reminder. */
function reminderKeyboard(m: Pick<ReminderMessage, "lang" | "ref">): InlineKeyboard {
  const t = MESSAGE_TEXTS[m.lang];
  return new InlineKeyboard().text(t.done, encodeReminderCallback("done", m.ref)).text(t.snoozeDay, encodeReminderCallback("snooze-day", m.ref)).text(t.snoozeWeek, encodeReminderCallback("snooze-week", m.ref));
}

/** Telegram refusals that retrying cannot fix. */
const PERMANENT = /blocked|chat not found|kicked|not a member|deactivated|have no rights|not enough rights|upgraded to a supergroup|PEER_ID_INVALID|bot can't initiate/i;

/** The worker's view of a Telegram failure. */
export function classifyTelegramError(error: unknown): DeliveryError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) return new DeliveryError("transient", error.description, (error.parameters.retry_after ?? 1) * 1000);
    if (error.error_code >= 500) return new DeliveryError("transient", error.description);
    const permanent = error.error_code === 401 || error.error_code === 403 || PERMANENT.test(error.description) || error.error_code === 400;
    return new DeliveryError(permanent ? "permanent" : "transient", `${error.error_code} ${error.description}`);
  }
  if (error instanceof HttpError) return new DeliveryError("transient", `network: ${error.message}`);
  return new DeliveryError("transient", (error as Error)?.message ?? String(error));
}

/** A reminder that gets no answer fails after this long; the queue retries it (grammY's default wait is 500 s). */
const NOTIFY_TIMEOUT_SECONDS = 20;

/** Sends reminders (with their buttons) and digests as HTML messages through the Bot API, failures classified for the worker. */
export class TelegramNotifier implements Notifier {
  readonly platform = "telegram" as const;
  private readonly api: Api;

  constructor(token: string, apiRoot?: string) {
    this.api = new Api(token, { timeoutSeconds: NOTIFY_TIMEOUT_SECONDS, ...(apiRoot ? { apiRoot } : {}) });
    this.api.config.use(countApiErrors());
  }

  async notify(channel: ChannelRef, message: PilotMessage): Promise<Delivery> {
    const text = message.kind === "reminder" ? renderReminderHtml(message) : renderDigestHtml(message);
    try {
      const sent = await this.api.sendMessage(Number(channel.id), text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(message.kind === "reminder" ? { reply_markup: reminderKeyboard(message) } : {}),
      });
      return { messageId: String(sent.message_id) };
    } catch (error) {
      throw classifyTelegramError(error);
    }
  }
}
