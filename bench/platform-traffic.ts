/**
 * Traffic as the platforms send it to the real `terrinclus start` process, and the replies as they reach the local
 * platform servers: Telegram webhook updates (POST with the secret token header), Slack events signed with the
 * signing secret, and the attribution of each message the bot posts to the question it answers.
 */
import type { FakeSlack } from "../test/support/slack-server.js";
import { eventEnvelope, signedPost } from "../test/support/slack-server.js";
import { BOT_USER, type ChatRef, type FakeTelegram } from "../test/support/telegram-server.js";
import { text } from "../src/shared/texts.js";
import type { MixQuestion } from "./question-mix.js";
import { percentile } from "./stats.js";

export const WEBHOOK_PATH = "/telegram/webhook";
export const WEBHOOK_SECRET = "FAKE-bench-webhook-secret";
export const SIGNING_SECRET = "FAKE-bench-signing-secret";

/** The log lines that say each channel takes requests (`/readyz` is 200 before the channels' routes exist). */
export const CHANNELS_LISTENING = [/telegram bot listening for webhook updates/, /slack app listening for events/];

/** The environment of `terrinclus start` against the local servers (no language model: extractive answers). */
export function productEnv(parts: { telegram: FakeTelegram; slack: FakeSlack; redisUrl: string; indexDir: string; pilotsDir: string }): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: parts.telegram.token,
    TELEGRAM_API_ROOT: parts.telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: `https://127.0.0.1:8443${WEBHOOK_PATH}`,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SLACK_BOT_TOKEN: parts.slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: parts.slack.apiUrl,
    REDIS_URL: parts.redisUrl,
    INDEX_DIR: parts.indexDir,
    KNOWLEDGE_DIR: "knowledge",
    PILOTS_DIR: parts.pilotsDir,
  };
}

/** What a POST to the process got back: its HTTP status (0: no answer) and how long it took. */
export interface Delivery {
  status: number;
  ms: number;
  error?: string;
}

async function timedPost(send: () => Promise<Response>): Promise<Delivery> {
  const start = performance.now();
  try {
    const response = await send();
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - start };
  } catch (error) {
    return { status: 0, ms: performance.now() - start, error: (error as Error).message };
  }
}

/** POSTs one update to the bot's webhook as Telegram does (JSON, with the secret token header). */
export function postTelegramUpdate(baseUrl: string, update: unknown, timeoutMs = 90_000): Promise<Delivery> {
  return timedPost(() =>
    fetch(`${baseUrl}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(timeoutMs),
    }),
  );
}

/** POSTs one Events API envelope to the Slack receiver, signed as Slack signs it. */
export function postSlackEvent(baseUrl: string, team: string, event: Record<string, unknown>, eventId: string): Promise<Delivery> {
  return timedPost(() => signedPost(`${baseUrl}/slack/events`, SIGNING_SECRET, eventEnvelope(team, event, eventId), "application/json"));
}

/** Where the traffic goes: private chats and groups (mentions) on Telegram, direct messages and channels (mentions) on Slack. */
export const AUDIENCE = { telegramPrivate: 200, telegramGroups: 50, slackDirect: 100, slackChannels: 100 } as const;

/** One question of the traffic: its platform, its conversation, its text, and how to send it. */
export interface Planned {
  platform: "telegram" | "slack";
  /** A chat id, a Slack direct-message channel, or a Slack channel with the mention's thread. */
  conversation: string;
  question: MixQuestion;
  send(baseUrl: string): Promise<Delivery>;
}

/**
 * `count` questions from `mix`, every other one on each platform, spread round-robin over the audience: a
 * conversation's questions come hundreds of questions apart, so each is answered before the next arrives.
 */
export function trafficPlan(count: number, mix: MixQuestion[], telegram: FakeTelegram, slack: FakeSlack): Planned[] {
  const clock = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i): Planned => {
    const question = mix[(i * 7) % mix.length]!;
    const k = Math.floor(i / 2);
    if (i % 2 === 0) {
      const slot = k % (AUDIENCE.telegramPrivate + AUDIENCE.telegramGroups);
      const privately = slot < AUDIENCE.telegramPrivate;
      const user = { id: privately ? 5_000_000 + slot : 5_100_000 + k, first_name: "Charge", language_code: question.lang };
      const chat: ChatRef = privately ? { id: user.id, type: "private" } : { id: -1_005_000_000 - slot, type: "supergroup", title: `Equipe ${slot}` };
      const body = privately ? question.text : `@${BOT_USER.username} ${question.text}`;
      return { platform: "telegram", conversation: String(chat.id), question, send: (base) => postTelegramUpdate(base, telegram.makeTextUpdate(chat, user, body)) };
    }
    const slot = k % (AUDIENCE.slackDirect + AUDIENCE.slackChannels);
    const ts = `${clock + k}.${String(k).padStart(6, "0")}`;
    if (slot < AUDIENCE.slackDirect) {
      const channel = `D0LOAD${String(slot).padStart(4, "0")}`;
      const event = { type: "message", channel_type: "im", channel, user: `U0LOAD${String(slot).padStart(4, "0")}`, text: question.text, ts, event_ts: ts };
      return { platform: "slack", conversation: channel, question, send: (base) => postSlackEvent(base, slack.teamId, event, `Ev0LOAD${i}`) };
    }
    const channel = `C0LOAD${String(slot).padStart(4, "0")}`;
    const event = { type: "app_mention", channel, user: `U0LOAD${String(k % 500).padStart(4, "0")}`, text: `<@${slack.botUserId}> ${question.text}`, ts, event_ts: ts };
    return { platform: "slack", conversation: `${channel}/${ts}`, question, send: (base) => postSlackEvent(base, slack.teamId, event, `Ev0LOAD${i}`) };
  });
}

/** One question sent, and the messages the bot posted for it. */
export interface Sent {
  platform: "telegram" | "slack";
  conversation: string;
  question: MixQuestion;
  sentAt: number;
  delivery?: Delivery;
  /** Arrival times at the local platform server of the messages that answer it. */
  replies: number[];
  /** Texts of those messages (to tell an error reply from an answer). */
  texts: string[];
}

/** Sends `planned` at `rate` per second (open loop: a slow answer does not slow the sending), recording each question. */
export async function sendSteadily(planned: Planned[], rate: number, baseUrl: string): Promise<Sent[]> {
  const start = performance.now();
  const sent: Sent[] = [];
  const deliveries: Array<Promise<void>> = [];
  for (const [i, item] of planned.entries()) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const record: Sent = { platform: item.platform, conversation: item.conversation, question: item.question, sentAt: Date.now(), replies: [], texts: [] };
    sent.push(record);
    deliveries.push(
      item.send(baseUrl).then((delivery) => {
        record.delivery = delivery;
      }),
    );
  }
  await Promise.all(deliveries);
  return sent;
}

/** A message the bot posted, as the local server recorded it, keyed like the plan's conversations. */
interface Posted {
  conversation: string;
  at: number;
  text: string;
}

/** Every message accepted by the local servers (sendMessage answered 200, chat.postMessage recorded). */
function postedMessages(telegram: FakeTelegram, slack: FakeSlack): Posted[] {
  const fromTelegram = telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 200).map((c) => ({ conversation: String(c.body.chat_id), at: c.at, text: String(c.body.text ?? "") }));
  const fromSlack = slack.posts.filter((p) => p.method === "chat.postMessage").map((p) => ({ conversation: p.thread_ts ? `${p.channel}/${p.thread_ts}` : p.channel, at: p.at, text: p.text ?? "" }));
  return [...fromTelegram, ...fromSlack];
}

/**
 * Gives each message posted so far to the last question of its conversation sent before it arrived (replacing
 * what an earlier call gave). Messages to conversations outside the traffic (reminders) are left out.
 */
export function attributeReplies(sent: Sent[], telegram: FakeTelegram, slack: FakeSlack): void {
  const byConversation = new Map<string, Sent[]>();
  for (const s of sent) {
    s.replies = [];
    s.texts = [];
    byConversation.set(s.conversation, [...(byConversation.get(s.conversation) ?? []), s]);
  }
  for (const list of byConversation.values()) list.sort((a, b) => a.sentAt - b.sentAt);
  for (const message of postedMessages(telegram, slack)) {
    const owner = (byConversation.get(message.conversation) ?? []).filter((s) => s.sentAt <= message.at).at(-1);
    if (!owner) continue;
    owner.replies.push(message.at);
    owner.texts.push(message.text);
  }
}

/** Waits until every question has a reply, or `timeoutMs` passed; then lets the last parts of split answers arrive. */
export async function drain(sent: Sent[], telegram: FakeTelegram, slack: FakeSlack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    attributeReplies(sent, telegram, slack);
    if (sent.every((s) => s.replies.length) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  attributeReplies(sent, telegram, slack);
}

/** Percentiles of a list of durations. */
export function spread(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: values.length ? Math.max(...values) : 0 };
}

const ERROR_TEXTS = new Set([text("error", "fr"), text("error", "en")]);
const RATE_LIMITED = /^(Vous posez beaucoup de questions|You are asking a lot of questions)/;

export type Outcome = "answered" | "error-reply" | "rate-limited" | "missing";

/** How a question ended: answered, answered with the error message, refused by the rate limit, or never answered. */
export function outcome(s: Sent): Outcome {
  if (!s.replies.length) return "missing";
  if (s.texts.some((t) => ERROR_TEXTS.has(t.trim()))) return "error-reply";
  if (s.texts.some((t) => RATE_LIMITED.test(t))) return "rate-limited";
  return "answered";
}

/** Outcomes counted, as `answered 120, missing 2`. */
export function outcomeCounts(sent: Sent[]): Map<Outcome, number> {
  const counts = new Map<Outcome, number>();
  for (const s of sent) counts.set(outcome(s), (counts.get(outcome(s)) ?? 0) + 1);
  return counts;
}

/** Time from a question to its first reply message. */
export const firstReplyMs = (s: Sent) => Math.min(...s.replies) - s.sentAt;
