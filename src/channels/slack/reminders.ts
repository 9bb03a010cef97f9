/**
 * The reminders' Notifier for Slack: chat.postMessage with Block Kit (the reminder, the kit sheet's summary and
 * checklist, and the buttons done / snooze one day / snooze one week of pilot-action.ts, which the Slack app
 * handles). Uses only the Web API over fetch: nothing of the Slack app.
 * Errors: `ratelimited` (429, Retry-After), 5xx and network failures are transient; channel_not_found,
 * not_in_channel, is_archived and auth errors are permanent.
 */
import { z } from "zod";
import { daysLeftText, MESSAGE_TEXTS, type DigestMessage, type MilestoneLine, type PilotMessage, type ReminderMessage } from "../../reminders/message.js";
import { DeliveryError, type ChannelRef, type Delivery, type Notifier } from "../../reminders/notifier.js";
import { platformErrorKind, platformErrorsTotal } from "../../shared/metrics.js";
import { pilotButtons } from "./pilot-action.js";

const SLACK_API = "https://slack.com/api/";
const SECTION_LIMIT = 3000;
/** Refusals retrying cannot fix. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "missing_scope",
  "restricted_action",
  "msg_too_long",
  "invalid_blocks",
  "no_text",
]);

const ResponseSchema = z.object({ ok: z.boolean(), error: z.string().optional(), ts: z.string().optional() });

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const clip = (text: string) => (text.length > SECTION_LIMIT ? `${text.slice(0, SECTION_LIMIT - 1)}…` : text);
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text: clip(text) } });
const line = (m: MilestoneLine, lang: "fr" | "en") => `• ${escapeMrkdwn(m.title)} — ${escapeMrkdwn(m.dueText)} (${daysLeftText(m.daysLeft, lang)})`;

/** Blocks and plain-text fallback of a reminder. */
export function reminderBlocks(m: ReminderMessage): { text: string; blocks: unknown[] } {
  const t = MESSAGE_TEXTS[m.lang];
  const head = [
    `⏰ *${escapeMrkdwn(m.title)}*`,
    `_${escapeMrkdwn(m.pilotName)}_`,
    `${t.due} : ${escapeMrkdwn(m.dueText)} — *${daysLeftText(m.daysLeft, m.lang)}*`,
    ...(m.owner ? [`${t.owner} : ${escapeMrkdwn(m.owner)}`] : []),
  ];
  const blocks: unknown[] = [section(head.join("\n"))];
  if (m.sheet) {
    blocks.push(section(`📘 *${escapeMrkdwn(m.sheet.title)}*\n${escapeMrkdwn(m.sheet.summary)}`));
    if (m.sheet.checklist.length) blocks.push(section([`*${t.checklist}*`, ...m.sheet.checklist.map((c) => `☐ ${escapeMrkdwn(c)}`)].join("\n")));
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `${t.ask} : \`/terrinclus ${escapeMrkdwn(m.sheet.title)}\`` }] });
  }
  blocks.push({ type: "actions", elements: pilotButtons(m.ref, m.lang) });
  return { text: `⏰ ${m.title} — ${m.dueText} (${daysLeftText(m.daysLeft, m.lang)})`, blocks };
}

/** Blocks and fallback of a weekly digest. */
function digestBlocks(m: DigestMessage): { text: string; blocks: unknown[] } {
  const t = MESSAGE_TEXTS[m.lang];
  const parts = [`📅 *${t.digest}* — ${escapeMrkdwn(m.pilotName)}`];
  if (m.overdue.length) parts.push(`*${t.overdue}*`, ...m.overdue.map((x) => line(x, m.lang)));
  if (m.upcoming.length) parts.push(`*${t.upcoming}*`, ...m.upcoming.map((x) => line(x, m.lang)));
  if (!m.overdue.length && !m.upcoming.length) parts.push(t.nothing);
  return { text: `${t.digest} — ${m.pilotName}`, blocks: [section(parts.join("\n"))] };
}

/** A reminder that gets no answer fails after this long; the queue retries it. */
const NOTIFY_TIMEOUT_MS = 20_000;

/** Posts reminders and digests with chat.postMessage, classifying each failure as permanent or transient. */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;

  constructor(
    private readonly token: string,
    private readonly apiUrl: string = SLACK_API,
  ) {}

  async notify(channel: ChannelRef, message: PilotMessage): Promise<Delivery> {
    const payload = message.kind === "reminder" ? reminderBlocks(message) : digestBlocks(message);
    let response: Response;
    const failed = (status: number | undefined) => platformErrorsTotal.inc({ platform: "slack", method: "chat.postMessage", kind: platformErrorKind(status) });
    try {
      response = await fetch(new URL("chat.postMessage", this.apiUrl), {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ channel: channel.id, ...payload, unfurl_links: false }),
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      });
    } catch (error) {
      failed(undefined);
      throw new DeliveryError("transient", `network: ${(error as Error).message}`);
    }
    if (response.status === 429) {
      failed(429);
      throw new DeliveryError("transient", "ratelimited", Number(response.headers.get("retry-after") ?? 1) * 1000);
    }
    if (response.status >= 500) {
      failed(response.status);
      throw new DeliveryError("transient", `HTTP ${response.status}`);
    }
    const body = ResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!body.success || !body.data.ok) failed(Math.max(response.status, 400));
    if (!body.success) throw new DeliveryError("transient", `unreadable answer (HTTP ${response.status})`);
    if (!body.data.ok) throw new DeliveryError(PERMANENT.has(body.data.error ?? "") ? "permanent" : "transient", body.data.error ?? "unknown error");
    return { messageId: body.data.ts ?? "" };
  }
}
