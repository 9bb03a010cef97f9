/**
 * Runs hostile cases (./hostile.ts) through the real in-process bots, against the local platform servers that reject
 * what the platforms reject: the grammY bot fed updates through its webhook handler (POSTs with the secret token), the
 * Bolt app fed requests signed as Slack signs them (events, slash commands, button presses). Collects what went wrong: handler failures (thrown, or
 * logged at error level), platform rejections, replies over the platforms' limits, button presses left unanswered.
 * Shared by `bench/fuzz.ts` (many cases) and `test/channels/fuzz.test.ts` (a small seeded sample).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { RedisConversationStore, type ConversationStore } from "../src/answer/conversation.js";
import type { AnswerEngine } from "../src/answer/engine.js";
import { RedisRateLimiter } from "../src/channels/rate-limit.js";
import { slackService } from "../src/channels/slack/run.js";
import { createTelegramBot } from "../src/channels/telegram/bot.js";
import { webhookHandler } from "../src/channels/telegram/run.js";
import type { ActionContext } from "../src/reminders/actions.js";
import { PlanSchema } from "../src/reminders/plan.js";
import { openReminders, type RemindersRuntime } from "../src/reminders/runtime.js";
import { milestoneRef } from "../src/reminders/store.js";
import { syncQueue } from "../src/reminders/sync.js";
import type { Logger } from "../src/shared/logger.js";
import { createRedis } from "../src/shared/redis.js";
import { checkBlocks, eventEnvelope, FakeSlack, ResponseUrlServer, signedPost, slashCommandBody } from "../test/support/slack-server.js";
import { BOT_USER, FakeTelegram, type ChatRef, type UserRef } from "../test/support/telegram-server.js";
import { SLACK_PLAN_CHANNEL, TELEGRAM_PLAN_CHAT, type FuzzContext, type SlackCase, type TelegramCase } from "./hostile.js";
import { deleteKeys } from "./redis-keys.js";

/** What one channel's fuzz run found; a clean run has every list empty. */
export interface FuzzFindings {
  channel: "telegram" | "slack";
  cases: number;
  /** Cases per kind (text, callback, event, command, action…). */
  kinds: Record<string, number>;
  /** Messages and callback answers the platform accepted. */
  replies: number;
  /** Handlers that threw, errors logged, unhandled rejections, receiver answers other than expected. */
  crashes: string[];
  /** Calls the local platform server refused (message too long, unparsable entities, invalid blocks…). */
  rejections: string[];
  /** Button presses never answered (Telegram shows a spinner until the bot answers). */
  unanswered: number;
  ms: number;
}

/** The shared pieces: Redis under a prefix of the run's own (conversations included), the engine, a synced plan the fuzzed chats may belong to. */
export interface FuzzRig {
  engine: AnswerEngine;
  redis: Redis;
  prefix: string;
  pilots: ActionContext;
  context: Omit<FuzzContext, "answerIds">;
  close(): Promise<void>;
}

const FUZZ_PLAN = PlanSchema.parse({
  id: "fuzz-pilote",
  name: "Pilote <b>&amp; *fuzz*</b> <!channel>",
  timezone: "Africa/Casablanca",
  channels: { telegram: [TELEGRAM_PLAN_CHAT], slack: [SLACK_PLAN_CHANNEL] },
  milestones: [
    { id: "diagnostic", title: "Diagnostic <i>partagé</i> & validé", due: "2030-02-15", sheet: "diagnostic-partage" },
    { id: "copil-1", title: "Premier comité *de pilotage* <@U0AWA>", due: "2030-03-10T14:30:00", sheet: "gouvernance-pilotage" },
    { id: "old", title: "Jalon passé", due: "2020-01-10", sheet: "indicateurs" },
  ],
});

/** Opens Redis and the reminders under prefixes of this run's own, syncs the fuzz plan, and makes the engine on conversations kept in Redis. */
export async function openFuzzRig(redisUrl: string, makeEngine: (conversations: ConversationStore) => Promise<AnswerEngine>): Promise<FuzzRig> {
  const id = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const prefix = `terrinclus-fuzz:${id}:`;
  const names = { prefix: `terrinclus-fuzz-q-${id}`, namespace: `terrinclus-fuzz-s-${id}` };
  const redis = createRedis(redisUrl, "requests");
  await redis.connect();
  let reminders: RemindersRuntime | undefined;
  try {
    reminders = await openReminders(redisUrl, names);
    await syncQueue({ queue: reminders.queue, store: reminders.store, plans: [FUZZ_PLAN] });
  } catch (error) {
    await reminders?.close();
    await redis.quit();
    throw error;
  }
  const runtime = reminders;
  return {
    engine: await makeEngine(new RedisConversationStore(redis, 600, `${prefix}conv:`)),
    redis,
    prefix,
    pilots: { queue: runtime.queue, store: runtime.store },
    context: { milestoneIds: FUZZ_PLAN.milestones.map((m) => m.id), milestoneRefs: FUZZ_PLAN.milestones.map((m) => milestoneRef(FUZZ_PLAN.id, m.id)) },
    async close() {
      for (const pattern of [`${prefix}*`, `${names.prefix}:*`, `${names.namespace}:*`]) await deleteKeys(redis, pattern);
      await runtime.close();
      await redis.quit();
    },
  };
}

/** A pino logger like the product's, writing into memory; entries at error level and above are kept. */
function capturingLogger(): { logger: Logger; errors: string[] } {
  const errors: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg?: string; err?: unknown };
        if (entry.level >= 50) errors.push(`${entry.msg ?? ""}${entry.err ? `: ${String(entry.err)}` : ""}`);
      }
      done();
    },
  });
  return { logger: pino({ level: "warn", base: undefined }, stream), errors };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of start. */
async function inPool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]!, i);
    }),
  );
}

/** Unhandled promise rejections while `work` runs. */
async function watchingRejections<T>(work: () => Promise<T>): Promise<[T, string[]]> {
  const seen: string[] = [];
  const listener = (reason: unknown) => seen.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  process.on("unhandledRejection", listener);
  try {
    return [await work(), seen];
  } finally {
    process.off("unhandledRejection", listener);
  }
}

function count(cases: Array<{ kind: string }>): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const c of cases) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
  return kinds;
}
const excerpt = (value: unknown) => JSON.stringify(value).slice(0, 160);

const SEED_QUESTION = "Comment constituer un comité de pilotage ?";

const WEBHOOK_SECRET = "FAKE-fuzz-webhook-secret";

/** Hostile Telegram updates (made by `cases` once the bot answered a genuine question) through the grammY bot's webhook handler, one POST each as Telegram sends them. */
export async function fuzzTelegram(rig: FuzzRig, cases: (context: FuzzContext) => TelegramCase[]): Promise<FuzzFindings> {
  const started = Date.now();
  const fake = await FakeTelegram.start();
  const { logger, errors } = capturingLogger();
  const bot = createTelegramBot({
    token: fake.token,
    engine: rig.engine,
    apiRoot: fake.apiRoot,
    logger,
    pacing: { private: 0, group: 0 },
    pilots: rig.pilots,
    rateLimiter: new RedisRateLimiter(rig.redis, 30, 60, `${rig.prefix}rate:`),
  });
  await bot.init();
  const serve = webhookHandler(bot, WEBHOOK_SECRET, logger);
  const server = http.createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const deliver = async (update: unknown) => {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    return response.status;
  };
  try {
    // One genuine question first: its answer is the message forged button presses point at, its id goes into forged data.
    const seedChat: ChatRef = { id: 5_999_999, type: "private" };
    await deliver(fake.makeTextUpdate(seedChat, { id: seedChat.id, first_name: "Awa", language_code: "fr" }, SEED_QUESTION));
    const answer = fake.sent(seedChat.id).find((m) => m.reply_markup);
    const answerIds: string[] = (answer?.reply_markup.inline_keyboard.flat() ?? []).map((b: { callback_data?: string }) => b.callback_data?.split(":").at(-1)).filter(Boolean);
    const list = cases({ ...rig.context, answerIds: [...new Set<string>(answerIds)] });
    const queries: string[] = [];
    const [failures, rejected] = await watchingRejections(async () => {
      const found: string[] = [];
      await inPool(list, 4, async (c, i) => {
        const update = telegramUpdate(fake, c, answer, seedChat);
        if (update.callback_query) queries.push(update.callback_query.id);
        const status = await deliver(update).catch(() => 0);
        if (status !== 200) found.push(`case ${i} (${c.kind}): the webhook answered ${status}: ${excerpt(update)}`);
      });
      return found;
    });
    const answeredIds = new Set(fake.callbackAnswers.map((a) => a.callback_query_id));
    return {
      channel: "telegram",
      cases: list.length,
      kinds: count(list),
      replies: fake.calls.filter((c) => (c.method === "sendMessage" || c.method === "answerCallbackQuery") && c.status === 200).length,
      crashes: [...failures, ...rejected, ...errors],
      rejections: fake.calls.filter((c) => c.status >= 400 && c.status !== 429).map((c) => `${c.method} ${c.status}: ${excerpt(c.body)}`),
      unanswered: queries.filter((id) => !answeredIds.has(id)).length,
      ms: Date.now() - started,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  }
}

const BOT_MESSAGE_FROM = { id: BOT_USER.id, is_bot: true, first_name: BOT_USER.first_name, username: BOT_USER.username };

/** An update as JSON, with the parts the harness reads or changes. */
interface UpdateJson {
  update_id: number;
  message?: Record<string, unknown>;
  callback_query?: { id: string };
}

/** The update Telegram would deliver for a case (the chat made known to the local server first). */
function telegramUpdate(fake: FakeTelegram, c: TelegramCase, answer: object | undefined, seedChat: ChatRef): UpdateJson {
  const chat: ChatRef = c.chat === "private" ? { id: c.chatId, type: "private" } : { id: c.chatId, type: "supergroup", title: "Fuzz <b>&</b>" };
  const user: UserRef = { ...c.user };
  if (c.kind === "callback") {
    if (c.message === "answer" && answer) return fake.makeCallbackUpdate(seedChat, user, answer, c.data);
    fake.addChat(chat.id, chat.type, { title: "Fuzz", first_name: "Fuzz" });
    const message =
      c.message === "inaccessible"
        ? { message_id: 7, chat: { id: chat.id, type: chat.type }, date: 0 }
        : {
            message_id: 424_242,
            from: BOT_MESSAGE_FROM,
            chat: { id: chat.id, type: chat.type, ...(chat.type === "private" ? { first_name: "Fuzz" } : { title: "Fuzz" }) },
            date: Math.floor(Date.now() / 1000),
            text: "réponse",
          };
    return fake.makeCallbackUpdate(chat, user, message, c.data);
  }
  if (c.kind === "caption") {
    const update: UpdateJson = fake.makeTextUpdate(chat, user, "");
    update.message!.photo = [{ file_id: "AgACAgIAAxkBAAIfuzz", file_unique_id: "AQADfuzz", file_size: 1200, width: 90, height: 67 }];
    if (c.caption) update.message!.caption = c.caption;
    return update;
  }
  const addressed = chat.type !== "private" && c.mention ? `@${BOT_USER.username} ${c.text}` : c.text;
  const replyTo = c.replyToBot ? { reply_to_message: { message_id: 1, from: BOT_MESSAGE_FROM, chat: { id: chat.id, type: chat.type }, date: Math.floor(Date.now() / 1000), text: "réponse" } } : {};
  const update: UpdateJson = fake.makeTextUpdate(chat, user, addressed, replyTo);
  if (c.anonymousAdmin) {
    update.message!.from = { id: 1087968824, is_bot: true, first_name: "Group", username: "GroupAnonymousBot" };
    update.message!.sender_chat = { id: chat.id, title: "Fuzz", type: chat.type };
  }
  return update;
}

const SIGNING_SECRET = "FAKE-fuzz-signing-secret";

/** Slack's limit on a message's text (chat.postMessage answers msg_too_long beyond it). */
const SLACK_TEXT_LIMIT = 40_000;

/** What the Slack cases may use besides the answer ids: the bot's user id and a thread it follows. */
export type SlackFuzzContext = FuzzContext & { botUserId: string; knownThread: { channel: string; ts: string } };

/** Hostile Slack requests (made by `cases` once the app answered a genuine mention) through the Bolt app's HTTP receiver. */
export async function fuzzSlack(rig: FuzzRig, cases: (context: SlackFuzzContext) => SlackCase[]): Promise<FuzzFindings> {
  const started = Date.now();
  const fake = await FakeSlack.start();
  const sink = await ResponseUrlServer.start();
  const { logger, errors } = capturingLogger();
  const service = slackService(
    { botToken: fake.botToken, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0, threadTtlSeconds: 600, pacingMs: 0, redisPrefix: `${rig.prefix}slack:`, retryConfig: { retries: 0 } },
    rig.engine,
    rig.redis,
    logger,
    undefined,
    rig.pilots,
  );
  await service.start();
  const url = `http://127.0.0.1:${service.port}/slack/events`;
  try {
    // One genuine mention first: its thread is one the app follows, its answer id goes into forged values. Its own ts
    // and event id each run: the app handles a message once only, also across runs on the same Redis.
    const seedTs = `${Math.floor(Date.now() / 1000)}.${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, "0")}`;
    await signedPost(
      url,
      SIGNING_SECRET,
      eventEnvelope(fake.teamId, { type: "app_mention", channel: "C0FUZZSEED", user: "U0AWA", text: `<@${fake.botUserId}> ${SEED_QUESTION}`, ts: seedTs, event_ts: seedTs }, `Ev0SEED${seedTs}`),
      "application/json",
    );
    await fake.waitFor(() => fake.messages("C0FUZZSEED").length > 0, 20_000);
    const answerIds = fake
      .messages("C0FUZZSEED")
      .flatMap((p) => p.blocks)
      .filter((b) => b.type === "actions")
      .flatMap((b) => b.elements)
      .map((e: { value?: string }) => answerIdOf(e.value))
      .filter((id): id is string => typeof id === "string");
    const list = cases({ ...rig.context, answerIds: [...new Set<string>(answerIds)], botUserId: fake.botUserId, knownThread: { channel: "C0FUZZSEED", ts: seedTs } });
    const [receiverFailures, rejected] = await watchingRejections(async () => {
      const failures: string[] = [];
      await inPool(list, 4, async (c, i) => {
        const { body, type, signature } = slackRequest(c, i, fake, sink);
        const response = await signedPost(url, SIGNING_SECRET, body, type, signature ? { signature } : {});
        await response.arrayBuffer();
        const expected = c.kind === "bad-signature" ? 401 : 200;
        if (response.status !== expected) failures.push(`case ${i} (${c.kind}): receiver answered ${response.status}, not ${expected}: ${excerpt(body)}`);
      });
      await quiet(() => fake.calls.length + sink.received.length);
      return failures;
    });
    const responseProblems = sink.received.flatMap((r) => responseUrlProblems(r.body).map((p) => `response_url ${r.path}: ${p}`));
    return {
      channel: "slack",
      cases: list.length,
      kinds: count(list),
      replies: fake.posts.length + sink.received.length,
      crashes: [...receiverFailures, ...rejected, ...errors],
      rejections: [...fake.refused().map((c) => `${c.method} ${c.error}: ${excerpt(c.body)}`), ...fake.violations, ...responseProblems],
      unanswered: 0,
      ms: Date.now() - started,
    };
  } finally {
    await service.stop();
    await fake.close();
    await sink.close();
  }
}

/** The answer id a reply button's value carries. */
function answerIdOf(value: string | undefined): string | undefined {
  try {
    return (JSON.parse(value ?? "") as { answerId?: string }).answerId;
  } catch {
    return undefined;
  }
}

/** The body of the request Slack would send for a case. */
function slackRequest(c: SlackCase, i: number, fake: FakeSlack, sink: ResponseUrlServer): { body: string; type: string; signature?: string } {
  const eventId = `Ev0FUZZ${randomBytes(4).toString("hex")}${i}`;
  switch (c.kind) {
    case "event":
      return { body: eventEnvelope(c.team ?? fake.teamId, c.event, eventId), type: "application/json" };
    case "bad-signature":
      return { body: eventEnvelope(fake.teamId, c.event, eventId), type: "application/json", signature: "v0=0000000000000000000000000000000000000000000000000000000000000000" };
    case "command":
      return { body: slashCommandBody({ team: c.team ?? fake.teamId, channel: c.channel, user: c.user, text: c.text, responseUrl: sink.url(`case-${i}`) }), type: "application/x-www-form-urlencoded" };
    case "action": {
      const team = c.team === null ? null : { id: c.team ?? fake.teamId, domain: "fuzz" };
      const messageTs = "1699999999.000200";
      const payload = {
        type: "block_actions",
        team,
        user: { id: c.user, team_id: c.team ?? fake.teamId },
        api_app_id: "A0TEST",
        token: "verification-token",
        trigger_id: "1.2.3",
        container: { type: "message", message_ts: messageTs, ...(c.channel ? { channel_id: c.channel } : {}), is_ephemeral: false },
        ...(c.channel ? { channel: { id: c.channel, name: "fuzz" } } : {}),
        message: { type: "message", ts: messageTs, ...(c.threadTs ? { thread_ts: c.threadTs } : {}), text: "…" },
        response_url: sink.url(`case-${i}`),
        actions: [{ type: "button", action_id: c.actionId, block_id: "b1", value: c.value, action_ts: "1699999999.000300" }],
      };
      return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), type: "application/x-www-form-urlencoded" };
    }
  }
}

/** What Slack would refuse or warn about in a `response_url` message. */
function responseUrlProblems(body: unknown): string[] {
  const message = (body ?? {}) as { blocks?: unknown; text?: unknown };
  const problems: string[] = [];
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  try {
    if (blocks.length) checkBlocks(blocks);
  } catch (error) {
    problems.push(`${(error as Error).message} ${JSON.stringify((error as { messages?: string[] }).messages ?? [])}`);
  }
  const text = typeof message.text === "string" ? message.text : "";
  if (!text && !blocks.length) problems.push("no_text");
  if (text.length > SLACK_TEXT_LIMIT) problems.push("msg_too_long");
  if (!text && blocks.length) problems.push("blocks without text fallback");
  return problems;
}

/** Waits until `progress()` stops changing for 1.5 s (handlers run after Bolt's acknowledgement), at most 90 s. */
async function quiet(progress: () => number): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = -1;
  while (Date.now() < deadline) {
    const now = progress();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}
