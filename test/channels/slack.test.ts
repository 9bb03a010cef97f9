/** The real Bolt app, end to end over HTTP: signed requests in, a local Slack Web API server out, real Redis. */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { RedisInsightStore } from "../../src/answer/insights.js";
import { createGenerator } from "../../src/cli/runtime.js";
import { HttpServer } from "../../src/channels/http-server.js";
import { slackService, type SlackService } from "../../src/channels/slack/run.js";
import { startTelegram } from "../../src/channels/telegram/run.js";
import { telegramSettings } from "../../src/cli/services.js";
import { ConfigError, loadConfig } from "../../src/config/config.js";
import { slackSettings } from "../../src/cli/services.js";
import { renderReply, renderSimilar, renderSources } from "../../src/channels/slack/render.js";
import { SlackPoster } from "../../src/channels/slack/poster.js";
import { notice } from "../../src/channels/slack/blocks.js";
import { webApi } from "@slack/bolt";
import { createLogger } from "../../src/shared/logger.js";
import { readFile } from "node:fs/promises";
import YAML from "yaml";
import { failingEngine, sharedIndex, testEngine } from "../support/assistant.js";
import { FakeOpenAI } from "../support/openai-server.js";
import { cliEnv, runCli } from "../fixtures/knowledge.js";
import { TEST_REDIS_URL } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";
import { FakeTelegram } from "../support/telegram-server.js";
import { checkBlocks, blockActionsBody, eventEnvelope, FakeSlack, ResponseUrlServer, signedPost, slashCommandBody, type SlackPost } from "../support/slack-server.js";

const db = useTestRedis("slack");
const logger = createLogger("silent");
const SECRET = "FAKE-signing-secret-slack-test";
const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
let fake: FakeSlack;
let sink: ResponseUrlServer | undefined;
const running: SlackService[] = [];
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await Promise.all(closers.splice(0).map((close) => close()));
  await fake?.close();
  await sink?.close();
  sink = undefined;
});

const id = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
let clock = Math.floor(Date.now() / 1000);
const newTs = () => `${clock++}.${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

async function engineOnRedis(options: { generator?: ReturnType<typeof createGenerator>; conversations?: RedisConversationStore } = {}): Promise<AnswerEngine> {
  return testEngine({
    conversations: options.conversations ?? new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`),
    insights: new RedisInsightStore(db.redis, `${db.prefix}insights:`),
    ...(options.generator ? { generator: options.generator } : {}),
  });
}

/** Starts one app instance (HTTP mode) against the fake Web API; several share Redis and the fake. */
async function startApp(options: { engine?: AnswerEngine; allowedTeams?: string[]; fresh?: boolean; socketMode?: boolean } = {}) {
  if (options.fresh !== false) fake = await FakeSlack.start();
  const engine = options.engine ?? (await engineOnRedis());
  const service = slackService(
    {
      botToken: fake.botToken,
      ...(options.socketMode ? { appToken: fake.appToken } : { signingSecret: SECRET }),
      apiUrl: fake.apiUrl,
      port: 0,
      threadTtlSeconds: 600,
      pacingMs: 0,
      redisPrefix: `${db.prefix}slack:`,
      retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
      ...(options.allowedTeams ? { allowedTeams: options.allowedTeams } : {}),
    },
    engine,
    db.redis,
    logger,
  );
  await service.start();
  running.push(service);
  const url = `http://127.0.0.1:${service.port}/slack/events`;
  return { engine, url, service };
}

const mention = (channel: string, text: string, extra: Record<string, unknown> = {}) => ({ type: "app_mention", user: "U0AWA", text: `<@UBOT> ${text}`, ts: newTs(), channel, event_ts: "1", ...extra });
const message = (channel: string, text: string, extra: Record<string, unknown> = {}) => ({ type: "message", user: "U0AWA", text, ts: newTs(), channel, channel_type: "channel", event_ts: "1", ...extra });
const sendEvent = (url: string, event: Record<string, unknown>, options: { team?: string; eventId?: string; headers?: Record<string, string> } = {}) =>
  signedPost(url, SECRET, eventEnvelope(options.team ?? "T0TEST", event, options.eventId ?? id("Ev")), JSON_TYPE, { ...(options.headers ? { headers: options.headers } : {}) });

/** Every mrkdwn and plain text the app sent in a post (blocks and fallback). */
function textsOf(post: SlackPost): string[] {
  const texts: string[] = post.text ? [post.text] : [];
  for (const block of post.blocks) {
    if (block.text?.text) texts.push(block.text.text);
    for (const e of block.elements ?? []) texts.push(e.text?.text ?? e.text ?? "");
  }
  return texts;
}
const buttonsOf = (post: SlackPost) => post.blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements as Array<{ action_id: string; value: string; text: { text: string } }>);
const noProblems = () => {
  expect(fake.refused()).toEqual([]);
  expect(fake.violations).toEqual([]);
};

describe("Slack app (HTTP receiver)", () => {
  it("answers a mention in the thread of that message, with Block Kit, sources, buttons and a text fallback", async () => {
    const { url } = await startApp();
    // Start-up calls nothing on Slack but auth.test.
    expect(fake.calls.map((c) => c.method)).toEqual(["auth.test"]);
    const channel = id("C");
    const event = mention(channel, "comment constituer un comité de pilotage ?");
    const started = Date.now();
    const response = await sendEvent(url, event);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await fake.waitFor(() => fake.messages(channel).length >= 1);
    const [post] = fake.messages(channel);
    expect(post!.thread_ts).toBe(event.ts);
    expect(post!.text).toMatch(/comité de pilotage|étapes/i);
    expect(post!.blocks[0].type).toBe("section");
    expect(post!.blocks[0].text.text).toMatch(/^\*En \d+ étapes/);
    const contexts = post!.blocks.filter((b) => b.type === "context").map((b) => b.elements.map((e: { text: string }) => e.text).join(" "));
    expect(contexts.some((c) => /^Sources : \[1\] <https?:\/\/[^|]+\|/.test(c) || /^Sources : \[1\] /.test(c))).toBe(true);
    const labels = buttonsOf(post!).map((b) => b.text.text);
    expect(labels).toEqual(expect.arrayContaining(["➕ La suite", "📚 Sources", "🔎 Projets similaires", "👍 Utile", "👎 Pas utile"]));
    expect(labels.some((l) => l.startsWith("§ "))).toBe(true);
    expect(post!.blocks.at(-1).type).toBe("actions");
    noProblems();
  });

  it("answers a direct message beside it, and a thread follow-up without a new mention only where it answered", async () => {
    const { url } = await startApp();
    const dm = id("D");
    await sendEvent(url, { ...message(dm, "What is FICOL?"), channel_type: "im" });
    await fake.waitFor(() => fake.messages(dm).length === 1);
    expect(fake.messages(dm)[0]!.thread_ts).toBeUndefined();
    expect(fake.messages(dm)[0]!.text).toMatch(/FICOL/);

    const channel = id("C");
    const first = mention(channel, "comment constituer un comité de pilotage ?");
    await sendEvent(url, first);
    await fake.waitFor(() => fake.messages(channel).length === 1);
    // Not addressed: a message in the channel, and one in a thread where the app never answered.
    await sendEvent(url, message(channel, "réunion demain à 10 h"));
    await sendEvent(url, message(channel, "et qui doit y participer ?", { thread_ts: newTs() }));
    // The follow-up in the app's thread, without mention.
    await sendEvent(url, message(channel, "et qui doit y participer ?", { thread_ts: first.ts }));
    await fake.waitFor(() => fake.messages(channel).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(channel)).toHaveLength(2);
    expect(fake.messages(channel)[1]!.thread_ts).toBe(first.ts);
    expect(fake.messages(channel)[1]!.text).toMatch(/élus|partenaires|comité/i);
    // Its own messages and other bots' are ignored.
    await sendEvent(url, message(channel, "comment évaluer ?", { thread_ts: first.ts, bot_id: "BOTHER", user: "UOTHER" }));
    await sendEvent(url, message(channel, "comment évaluer ?", { thread_ts: first.ts, user: "UBOT" }));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(channel)).toHaveLength(2);
    noProblems();
  });

  it("handles one message once: a retried event, app_mention plus message, two instances on one Redis", async () => {
    const { url } = await startApp();
    const second = await startApp({ fresh: false });
    const channel = id("C");
    // Slack retries the same event (same event id) with X-Slack-Retry-Num.
    const event = mention(channel, "qu'est-ce que la capitalisation ?");
    const eventId = id("Ev");
    await sendEvent(url, event, { eventId });
    await sendEvent(url, event, { eventId, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    // app_mention and message for one message (two event ids, one channel + ts).
    const both = mention(channel, "comment financer une coopération ?");
    await Promise.all([sendEvent(url, both), sendEvent(url, { ...both, type: "message", channel_type: "channel" })]);
    // The same event delivered to two instances at once.
    const shared = mention(channel, "comment structurer un diagnostic partagé ?");
    const sharedId = id("Ev");
    await Promise.all([sendEvent(url, shared, { eventId: sharedId }), sendEvent(second.url, shared, { eventId: sharedId })]);
    await fake.waitFor(() => fake.messages(channel).length >= 3);
    await new Promise((r) => setTimeout(r, 500));
    const threads = fake.messages(channel).map((p) => p.thread_ts);
    expect(threads.sort()).toEqual([event.ts, both.ts, shared.ts].sort());
    noProblems();
  });

  it("refuses a forged signature and a timestamp older than five minutes; nothing is posted", async () => {
    const { url } = await startApp();
    const channel = id("C");
    const body = eventEnvelope("T0TEST", mention(channel, "FICOL ?"), id("Ev"));
    const forged = await signedPost(url, "not-the-secret", body, JSON_TYPE);
    expect(forged.status).toBe(401);
    const stale = await signedPost(url, SECRET, body, JSON_TYPE, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(url, { method: "POST", headers: { "content-type": JSON_TYPE }, body });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.posts).toEqual([]);
    // Slack's URL verification still works when signed.
    const challenge = await signedPost(url, SECRET, JSON.stringify({ type: "url_verification", challenge: "chal123", token: "x" }), JSON_TYPE);
    expect(await challenge.json()).toEqual({ challenge: "chal123" });
  });

  it("refuses events, commands and buttons from a workspace that is not allowed", async () => {
    const { url } = await startApp({ allowedTeams: ["T0TEST"] });
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    expect((await sendEvent(url, mention(channel, "FICOL ?"), { team: "T0OTHER" })).status).toBe(200);
    const command = await signedPost(url, SECRET, slashCommandBody({ team: "T0OTHER", channel, user: "U0AWA", text: "FICOL ?", responseUrl: sink.url("other") }), FORM_TYPE);
    expect(command.status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.posts).toEqual([]);
    expect(sink.to("other")).toEqual([]);
    // The allowed workspace is answered; by then the refused event and command would have been answered too.
    const allowed = mention(channel, "FICOL ?");
    await sendEvent(url, allowed);
    await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user: "U0AWA", text: "FICOL ?", responseUrl: sink.url("allowed") }), FORM_TYPE);
    await fake.waitFor(() => fake.messages(channel).length >= 1 && sink!.to("allowed").length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(channel).map((p) => p.thread_ts)).toEqual([allowed.ts]);
    expect(sink.to("other")).toEqual([]);
  });

  it("acknowledges /terrinclus at once and answers through response_url: question, similar, help, lang", async () => {
    const openai = await FakeOpenAI.start();
    closers.push(() => openai.close());
    // The model takes 1.5 s: the acknowledgement must not wait for it.
    openai.delay(1500).reply(() => "Le comité de pilotage réunit les élus des deux collectivités partenaires [1].");
    const config = loadConfig({ LLM_BASE_URL: openai.baseURL, LLM_MODEL: "test-model", LLM_TIMEOUT_MS: "10000" });
    const index = await sharedIndex();
    const { url } = await startApp({ engine: await engineOnRedis({ generator: createGenerator(config, () => index) }) });
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    const user = id("U");
    const slash = (text: string, name: string) => signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user, text, responseUrl: sink!.url(name) }), FORM_TYPE);

    const started = Date.now();
    const ack = await slash("comment constituer un comité de pilotage ?", "ask");
    const ackMs = Date.now() - started;
    expect(ack.status).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    expect(ackMs).toBeLessThan(1000);
    await fake.waitFor(() => sink!.to("ask").length === 1, 10_000);
    const answer = sink.to("ask")[0]!;
    expect(answer.at - started).toBeGreaterThanOrEqual(1400);
    expect(answer.body.response_type).toBe("in_channel");
    expect(answer.body.text).toMatch(/comité de pilotage/);
    expect(answer.body.blocks.some((b: { type: string }) => b.type === "actions")).toBe(true);

    await slash("similar protection de l'enfance au Maroc", "similar");
    await fake.waitFor(() => sink!.to("similar").length === 1);
    expect(sink.to("similar")[0]!.body.response_type).toBe("in_channel");
    expect(sink.to("similar")[0]!.body.text).toMatch(/Meurthe-et-Moselle/);

    await slash("help", "help");
    await fake.waitFor(() => sink!.to("help").length === 1);
    expect(sink.to("help")[0]!.body.response_type).toBe("ephemeral");
    expect(sink.to("help")[0]!.body.text).toMatch(/\/terrinclus similar/);

    await slash("lang en", "lang");
    await fake.waitFor(() => sink!.to("lang").length === 1);
    expect(sink.to("lang")[0]!.body).toMatchObject({ response_type: "ephemeral", text: "I will answer in English." });
    await slash("lang de", "lang-bad");
    await fake.waitFor(() => sink!.to("lang-bad").length === 1);
    expect(sink.to("lang-bad")[0]!.body.text).toMatch(/lang fr/);
    noProblems();
  });

  it("follows the user's /terrinclus lang choice in mentions", async () => {
    const { url } = await startApp();
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    const user = id("U");
    await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user, text: "lang en", responseUrl: sink.url("lang") }), FORM_TYPE);
    await fake.waitFor(() => sink!.to("lang").length === 1);
    await sendEvent(url, { ...mention(channel, "comment structurer un diagnostic partagé ?"), user });
    await fake.waitFor(() => fake.messages(channel).length === 1);
    expect(fake.messages(channel)[0]!.text).toMatch(/^In \d+ steps/);
  });

  it("handles the buttons: feedback recorded, sources, similar, more and a section in the thread; forged and expired refused", async () => {
    const { url, engine } = await startApp();
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    const question = mention(channel, "protection de l'enfance au Maroc : comment évaluer notre coopération ?");
    await sendEvent(url, question);
    await fake.waitFor(() => fake.messages(channel).length === 1);
    const answer = fake.messages(channel)[0]!;
    const buttons = buttonsOf(answer);
    const press = (button: { action_id: string; value: string }, user = "U0AWA") =>
      signedPost(
        url,
        SECRET,
        blockActionsBody({ team: "T0TEST", channel, user, message: { ts: answer.ts, thread_ts: question.ts }, actionId: button.action_id, value: button.value, responseUrl: sink!.url("button") }),
        FORM_TYPE,
      );
    const find = (label: string) => buttons.find((b) => b.text.text.includes(label))!;

    expect((await press(find("Pas utile"))).status).toBe(200);
    await fake.waitFor(() => fake.ephemerals(channel).length === 1);
    expect(fake.ephemerals(channel)[0]).toMatchObject({ user: "U0AWA", thread_ts: question.ts, text: "Merci, c'est noté." });
    const answerId = JSON.parse(find("Pas utile").value).answerId as string;
    expect((await engine.answerRecord(answerId))?.feedback).toMatchObject({ useful: false, channel: "slack" });

    await press(find("Sources"));
    await fake.waitFor(() => fake.messages(channel).length === 2);
    const sources = fake.messages(channel)[1]!;
    expect(sources.thread_ts).toBe(question.ts);
    expect(sources.blocks[0].text.text).toBe("*Sources*");
    expect(textsOf(sources).join("\n")).toMatch(/<https?:\/\/[^|>]+\|[^>]+>/);

    await press(find("similaires"));
    await fake.waitFor(() => fake.messages(channel).length === 3);
    expect(fake.messages(channel)[2]!.text).toMatch(/Coopérations documentées proches[\s\S]*Maroc/);

    await press(find("La suite"));
    await fake.waitFor(() => fake.messages(channel).length === 4);
    // The rest is the quoted section whole, in the thread: headed by its section, longer than the answer.
    const quoted = (await engine.answerRecord(answerId))!.citations![0]!;
    const rest = fake.messages(channel)[3]!;
    expect(rest.thread_ts).toBe(question.ts);
    expect(rest.text).toContain(quoted.section.split(" › ").at(-1));
    expect(rest.text!.length).toBeGreaterThan(answer.text!.length);
    const section = buttons.find((b) => b.text.text.startsWith("§ "))!;
    await press(section);
    await fake.waitFor(() => fake.messages(channel).length === 5);
    expect(fake.messages(channel)[4]!.text).toContain(section.text.text.slice(2).replace(/…$/, ""));

    // A forged value and an unknown answer get a short ephemeral message.
    await press({ action_id: "terrinclus:more:0", value: '{"action":"rm -rf","answerId":"x"}' });
    await press({ action_id: "terrinclus:sources:0", value: JSON.stringify({ action: "sources", answerId: "unknownAns1" }) });
    await fake.waitFor(() => fake.ephemerals(channel).length === 3);
    expect(
      fake
        .ephemerals(channel)
        .slice(1)
        .map((p) => p.text),
    ).toEqual(["Ce bouton n'est plus valide.", "Cette réponse est trop ancienne : posez la question à nouveau."]);
    expect(fake.messages(channel)).toHaveLength(5);
    noProblems();
  });

  it("answers the buttons of a /terrinclus answer through response_url in a channel the app was not invited to", async () => {
    const { url } = await startApp();
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    fake.outside.add(channel);
    await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user: "U0AWA", text: "qu'est-ce que le FICOL ?", responseUrl: sink.url("ask") }), FORM_TYPE);
    await fake.waitFor(() => sink!.to("ask").length === 1);
    const buttons = sink
      .to("ask")[0]!
      .body.blocks.filter((b: { type: string }) => b.type === "actions")
      .flatMap((b: { elements: unknown[] }) => b.elements) as Array<{ action_id: string; value: string; text: { text: string } }>;
    const press = (label: string) => {
      const button = buttons.find((b) => b.text.text.includes(label))!;
      return signedPost(url, SECRET, blockActionsBody({ team: "T0TEST", channel, user: "U0AWA", message: { ts: newTs() }, actionId: button.action_id, value: button.value, responseUrl: sink!.url("button") }), FORM_TYPE);
    };
    await press("Sources");
    await fake.waitFor(() => sink!.to("button").length === 1);
    expect(sink.to("button")[0]!.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(sink.to("button")[0]!.body.text).toMatch(/^Sources/);
    await press("Utile");
    await fake.waitFor(() => sink!.to("button").length === 2);
    expect(sink.to("button")[1]!.body).toMatchObject({ response_type: "ephemeral", text: "Merci, c'est noté." });
    expect(fake.posts).toEqual([]);
  });

  it("splits an answer that needs more than 50 blocks into several messages in the thread, buttons under the last", async () => {
    const openai = await FakeOpenAI.start();
    closers.push(() => openai.close());
    const paragraph = "La **gouvernance** partagée suppose un comité de pilotage & des règles écrites <claires> [1].";
    openai.reply(() => Array.from({ length: 70 }, (_, i) => `Point ${i + 1}. ${paragraph}`).join("\n\n"));
    const config = loadConfig({ LLM_BASE_URL: openai.baseURL, LLM_MODEL: "test-model", LLM_TIMEOUT_MS: "10000" });
    const index = await sharedIndex();
    const { url } = await startApp({ engine: await engineOnRedis({ generator: createGenerator(config, () => index) }) });
    const channel = id("C");
    const event = mention(channel, "comment constituer un comité de pilotage ?");
    await sendEvent(url, event);
    await fake.waitFor(() => fake.messages(channel).some((p) => p.blocks.some((b) => b.type === "actions")), 15_000);
    const posts = fake.messages(channel);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const p of posts) {
      expect(p.thread_ts).toBe(event.ts);
      expect(p.blocks.length).toBeLessThanOrEqual(50);
      expect(p.text!.length).toBeGreaterThan(0);
    }
    expect(posts.filter((p) => p.blocks.some((b) => b.type === "actions"))).toHaveLength(1);
    expect(posts.at(-1)!.blocks.at(-1).type).toBe("actions");
    const all = posts.flatMap(textsOf).join("\n");
    expect(all).toContain("&lt;claires&gt;");
    expect(all).not.toContain("<claires>");
    noProblems();
  });

  it("shows hostile input literally and pings nobody; a 10,000-character message is answered", async () => {
    const { url } = await startApp();
    sink = await ResponseUrlServer.start();
    const channel = id("C");
    // As Slack encodes them: a real @channel, a user mention, typed "<!here>" and "&lt;", code, formatting.
    const hostile = [
      "<!channel> <@U123> &lt;!here&gt; &amp;lt; `code` ```bloc``` *gras* _italique_ ~barré~ comment constituer un comité de pilotage ?",
      "<!subteam^S123|@equipe> <https://evil.example|cliquez> <#C999|general> suivi et évaluation ?",
      `${"diagnostic ".repeat(909)}x`,
    ];
    expect(hostile[2]!.length).toBe(10_000);
    for (const text of hostile) await sendEvent(url, mention(channel, text));
    await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user: "U0AWA", text: "similar <!channel> &lt;script&gt; protection de l'enfance *Maroc*", responseUrl: sink.url("similar") }), FORM_TYPE);
    await fake.waitFor(() => fake.messages(channel).length === hostile.length);
    await fake.waitFor(() => sink!.to("similar").length === 1);
    const texts = [...fake.posts.flatMap(textsOf), sink.to("similar")[0]!.body.text];
    for (const t of texts) {
      // The only control sequences the app writes are links to web pages.
      for (const sequence of t.match(/<[^>]*>/g) ?? []) expect(sequence).toMatch(/^<https?:\/\/[^\s|<>]+\|[^<>]*>$/);
      expect(t).not.toMatch(/<[!@#]/);
    }
    noProblems();
  });

  it("retries a ratelimited post after Retry-After", async () => {
    const { url } = await startApp();
    const channel = id("C");
    fake.rateLimit("chat.postMessage", 1, 1);
    await sendEvent(url, mention(channel, "qu'est-ce que la capitalisation ?"));
    await fake.waitFor(() => fake.messages(channel).length === 1, 10_000);
    const attempts = fake.calls.filter((c) => c.method === "chat.postMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("reports an internal error in the thread and keeps running", async () => {
    const { url } = await startApp({ engine: await failingEngine() });
    const channel = id("C");
    const event = mention(channel, "What is FICOL?");
    await sendEvent(url, event);
    await fake.waitFor(() => fake.messages(channel).length === 1);
    expect(fake.messages(channel)[0]).toMatchObject({ thread_ts: event.ts, text: "Sorry, something went wrong. Please try again in a moment." });
  });
});

describe("Slack app (Socket Mode)", () => {
  it("connects through apps.connections.open, acknowledges envelopes and answers events, commands and buttons", async () => {
    await startApp({ socketMode: true });
    sink = await ResponseUrlServer.start();
    expect(fake.connections).toBe(1);
    expect(fake.calls.map((c) => c.method)).toEqual(["auth.test", "apps.connections.open"]);
    const channel = id("C");
    const event = mention(channel, "comment constituer un comité de pilotage ?");
    const delivered = await fake.deliver("events_api", JSON.parse(eventEnvelope("T0TEST", event, id("Ev"))));
    expect(delivered.ack.envelope_id).toBeDefined();
    await fake.waitFor(() => fake.messages(channel).length === 1);
    expect(fake.messages(channel)[0]!.thread_ts).toBe(event.ts);

    const command = Object.fromEntries(new URLSearchParams(slashCommandBody({ team: "T0TEST", channel, user: "U0AWA", text: "similar jeunesse en Tunisie", responseUrl: sink.url("socket") })));
    const acked = await fake.deliver("slash_commands", command);
    expect(acked.ms).toBeLessThan(1000);
    await fake.waitFor(() => sink!.to("socket").length === 1);
    expect(sink.to("socket")[0]!.body.text).toMatch(/Aude/);

    const useful = buttonsOf(fake.messages(channel)[0]!).find((b) => b.text.text.includes("Utile"))!;
    const press = JSON.parse(
      new URLSearchParams(
        blockActionsBody({ team: "T0TEST", channel, user: "U0AWA", message: { ts: fake.messages(channel)[0]!.ts, thread_ts: event.ts }, actionId: useful.action_id, value: useful.value, responseUrl: sink.url("button") }),
      ).get("payload")!,
    );
    await fake.deliver("interactive", press);
    await fake.waitFor(() => fake.ephemerals(channel).length === 1);
    expect(fake.ephemerals(channel)[0]!.text).toBe("Merci, c'est noté.");
    noProblems();
  });
});

describe("Telegram webhook and Slack HTTP in one process", () => {
  it("share one HTTP server: each channel on its path, /healthz, 404 elsewhere", async () => {
    fake = await FakeSlack.start();
    const telegram = await FakeTelegram.start();
    closers.push(() => telegram.close());
    const server = new HttpServer(0);
    await server.start();
    closers.push(() => server.stop());
    const engine = await engineOnRedis();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://bots.example.org/telegram/hook",
      TELEGRAM_WEBHOOK_SECRET: "s3cr3t-token",
      PORT: String(server.port),
    });
    const bot = await startTelegram(telegramSettings(config), engine, db.redis, logger, server);
    closers.push(() => bot.stop());
    const slack = slackService(
      { botToken: fake.botToken, signingSecret: SECRET, apiUrl: fake.apiUrl, port: server.port, threadTtlSeconds: 600, pacingMs: 0, redisPrefix: `${db.prefix}slack:` },
      engine,
      db.redis,
      logger,
      server,
    );
    await slack.start();
    running.push(slack);
    expect(slack.port).toBe(server.port);
    const base = `http://127.0.0.1:${server.port}`;

    const channel = id("C");
    await sendEvent(`${base}/slack/events`, mention(channel, "What is FICOL?"));
    await fake.waitFor(() => fake.messages(channel).length === 1);
    const chat = { id: 4242, type: "private" as const };
    const update = telegram.makeTextUpdate(chat, { id: 4243, first_name: "Awa", language_code: "fr" }, "Qu'est-ce qu'un diagnostic partagé ?");
    const post = await fetch(`${base}/telegram/hook`, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cr3t-token" }, body: JSON.stringify(update) });
    expect(post.status).toBe(200);
    await telegram.waitFor(() => telegram.sent(chat.id).length === 1, 10_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/elsewhere`, { method: "POST" })).status).toBe(404);
  });
});

describe("Slack rendering of real replies", () => {
  it("stays within Block Kit's limits for every evaluation question, its rest, sections, sources and similar projects", async () => {
    const engine = await testEngine();
    const questions = (YAML.parse(await readFile("test/eval/questions.yaml", "utf8")) as Array<{ q: string }>).map((e) => e.q);
    expect(questions.length).toBeGreaterThan(50);
    let messages = 0;
    const check = (rendered: Array<{ text: string; blocks: any[] }>) => {
      for (const m of rendered) {
        messages++;
        expect(m.text.length).toBeGreaterThan(0);
        expect(() => checkBlocks(m.blocks)).not.toThrow();
        for (const t of [m.text, ...m.blocks.map((b) => b.text?.text ?? "")]) expect(t).not.toMatch(/<[!@#]/);
      }
    };
    for (const question of questions) {
      const reply = await engine.ask({ question, channel: "slack" });
      const rendered = renderReply(reply);
      expect(rendered).toHaveLength(1);
      check(rendered);
      const more = await engine.more(reply.answerId);
      if (more) check(renderReply(more));
      const section = reply.actions.find((a) => a.type === "section");
      if (section?.type === "section") check(renderReply((await engine.section(reply.answerId, section.index))!));
      check(renderSources((await engine.sources(reply.answerId)) ?? [], reply.lang));
    }
    check(renderSimilar(await engine.similar("<!channel> protection de l'enfance au Maroc & jeunesse")));
    expect(messages).toBeGreaterThan(questions.length * 2);
  });
});

describe("Slack posting pace", () => {
  it("keeps the gap between two messages to one channel, not between channels", async () => {
    fake = await FakeSlack.start();
    const poster = new SlackPoster(new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl }), 300);
    const [a, b] = [id("C"), id("C")];
    await Promise.all([poster.post(a, undefined, [notice("1"), notice("2"), notice("3")]), poster.post(b, undefined, [notice("x")])]);
    const times = fake.messages(a).map((p) => p.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(280);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(280);
    expect(fake.messages(b)[0]!.at - times[0]!).toBeLessThan(250);
  });
});

describe("Slack configuration", () => {
  it("names the one missing token or secret", () => {
    const settings = (env: Record<string, string>) => () => slackSettings(loadConfig(env));
    expect(settings({})).toThrow(ConfigError);
    expect(settings({})).toThrow(/^SLACK_BOT_TOKEN is not set/);
    expect(settings({ SLACK_BOT_TOKEN: "xoxb-FAKE-1" })).toThrow(/^SLACK_SIGNING_SECRET is not set/);
    expect(settings({ SLACK_BOT_TOKEN: "xoxb-FAKE-1", SLACK_APP_TOKEN: "xapp-FAKE-1" })()).toMatchObject({ appToken: "xapp-FAKE-1", port: 3000 });
    expect(settings({ SLACK_BOT_TOKEN: "xoxb-FAKE-1", SLACK_SIGNING_SECRET: "s", SLACK_PORT: "3100", SLACK_ALLOWED_TEAMS: "T01, T02" })()).toMatchObject({ port: 3100, allowedTeams: ["T01", "T02"] });
    expect(() => loadConfig({ SLACK_APP_TOKEN: "xoxb-FAKE-wrong" })).toThrow(/SLACK_APP_TOKEN/);
    expect(() => loadConfig({ SLACK_APP_TOKEN: "xoxb-FAKE-wrong" })).not.toThrow(/xoxb-FAKE-wrong/);
  });
});

describe("terrinclus slack / start (built command line)", () => {
  const indexEnv = () => ({ INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir") });

  it("stops at start-up with one line naming the missing secret, never showing the token", async () => {
    const run = await runCli(["slack"], { env: { ...indexEnv(), SLACK_BOT_TOKEN: "xoxb-FAKE-secret-token", SLACK_SIGNING_SECRET: "", SLACK_APP_TOKEN: "" } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n"), run.stderr).toHaveLength(1);
    expect(run.stderr).toMatch(/^SLACK_SIGNING_SECRET is not set/);
    expect(run.stderr).not.toContain("FAKE-secret");
  });

  it("npm start runs the Slack app when SLACK_BOT_TOKEN is set, answers, and stops on SIGTERM", async () => {
    fake = await FakeSlack.start();
    const child = spawn(process.execPath, ["dist/cli/main.js", "start"], {
      env: cliEnv({
        ...indexEnv(),
        REDIS_URL: TEST_REDIS_URL,
        LOG_LEVEL: "info",
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: "0",
        SLACK_APP_TOKEN: "",
        TELEGRAM_BOT_TOKEN: "",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      await fake.waitFor(() => /"port":\d+/.test(stderr), 20_000);
      const port = Number(/"port":(\d+)/.exec(stderr)![1]);
      const channel = id("C");
      await sendEvent(`http://127.0.0.1:${port}/slack/events`, mention(channel, "What is FICOL?"));
      await fake.waitFor(() => fake.messages(channel).length === 1);
      expect(fake.messages(channel)[0]!.text).toMatch(/FICOL/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(fake.botToken);
    expect(stderr).not.toContain(SECRET);
  });
});
