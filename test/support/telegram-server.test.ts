import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import { FakeTelegram } from "./telegram-server.js";

const alice = { id: 101, first_name: "Alice", language_code: "fr", username: "alice" };
const dm = { id: 101, type: "private" as const };
const group = { id: -1001234567890, type: "supergroup" as const, title: "Cooperation" };

let fake: FakeTelegram;

beforeEach(async () => {
  fake = await FakeTelegram.start();
});

afterEach(async () => {
  await fake.close();
});

async function call(method: string, body: unknown = {}, token = fake.token): Promise<{ status: number; json: any }> {
  const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function send(text: string, extra: Record<string, unknown> = {}) {
  return call("sendMessage", { chat_id: dm.id, text, ...extra });
}

function badRequest(description: string) {
  return { status: 400, json: { ok: false, error_code: 400, description: `Bad Request: ${description}` } };
}

describe("wire format", () => {
  it("answers getMe with the bot user", async () => {
    expect(await call("getMe")).toEqual({
      status: 200,
      json: {
        ok: true,
        result: {
          id: 999,
          is_bot: true,
          first_name: "Terrinclus",
          username: "terrinclus_bot",
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        },
      },
    });
  });

  it("rejects a wrong token and an unknown method, and records every call", async () => {
    expect(await call("getMe", {}, "000000:FAKE-wrong")).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    expect(await call("sendPigeon")).toEqual({ status: 404, json: { ok: false, error_code: 404, description: "Not Found" } });
    expect((await call("GETME")).status).toBe(200); // method names are case-insensitive
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ["getMe", 401],
      ["sendPigeon", 404],
      ["getMe", 200],
    ]);
  });

  it("accepts urlencoded and multipart bodies with JSON-serialized fields", async () => {
    fake.addChat(dm.id, "private");
    const form = new URLSearchParams({
      chat_id: String(dm.id),
      text: "<b>form</b>",
      parse_mode: "HTML",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] }),
    });
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body: form });
    const json: any = await res.json();
    expect(json.result).toMatchObject({ text: "form", entities: [{ type: "bold", offset: 0, length: 4 }] });
    expect(json.result.reply_markup).toEqual({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });

    const multipart = new FormData();
    multipart.append("chat_id", String(dm.id));
    multipart.append("text", "multipart");
    multipart.append("document", new Blob(["hello"]), "notes.txt");
    const res2 = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body: multipart });
    expect(((await res2.json()) as any).result.text).toBe("multipart");
    expect(fake.calls.at(-1)?.body).toMatchObject({ chat_id: String(dm.id), document: { filename: "notes.txt", size: 5 } });
  });
});

describe("sendMessage", () => {
  beforeEach(() => fake.addChat(dm.id, "private", { first_name: "Alice" }));

  it("parses HTML into text and entities with UTF-16 offsets", async () => {
    const html = '<b>Bonjour</b> 👋 <i>équipe</i> &amp; <a href="https://example.org/x">lien</a> <code>a&lt;b</code>';
    const { status, json } = await send(html, { parse_mode: "HTML" });
    expect(status).toBe(200);
    expect(json.result.text).toBe("Bonjour 👋 équipe & lien a<b");
    expect(json.result.entities).toEqual([
      { type: "bold", offset: 0, length: 7 },
      { type: "italic", offset: 11, length: 6 },
      { type: "text_link", offset: 20, length: 4, url: "https://example.org/x" },
      { type: "code", offset: 25, length: 3 },
    ]);
    expect(json.result).toMatchObject({ message_id: 1, chat: { id: dm.id, type: "private" }, from: { id: 999, is_bot: true } });
    expect(fake.sent(dm.id)).toEqual([json.result]);
  });

  it("handles pre with a language, spoilers, expandable quotes and automatic entities", async () => {
    const html = '<pre><code class="language-ts">let x;</code></pre>\n<span class="tg-spoiler">s</span> ' + "<blockquote expandable>q</blockquote> <b>see https://example.org/a.</b> /help";
    const { json } = await send(html, { parse_mode: "html" });
    expect(json.result.text).toBe("let x;\ns q see https://example.org/a. /help");
    expect(json.result.entities).toEqual([
      { type: "pre", offset: 0, length: 6, language: "ts" },
      { type: "spoiler", offset: 7, length: 1 },
      { type: "expandable_blockquote", offset: 9, length: 1 },
      { type: "bold", offset: 11, length: 4 },
      { type: "url", offset: 15, length: 21 },
      { type: "bold", offset: 15, length: 21 },
      { type: "bold", offset: 36, length: 1 },
      { type: "bot_command", offset: 38, length: 5 },
    ]);
  });

  it("limits the parsed text to 4096 characters", async () => {
    expect(await send("x".repeat(4097))).toEqual(badRequest("message is too long"));
    expect((await send("x".repeat(4096))).status).toBe(200);
    expect((await send(`<b>${"x".repeat(4096)}</b>`, { parse_mode: "HTML" })).status).toBe(200);
    // tdlib counts code points for bots (utf8_length), so 4096 emoji pass although they are 8192 UTF-16 units
    expect((await send("😀".repeat(4096))).status).toBe(200);
    expect(await send("😀".repeat(4097))).toEqual(badRequest("message is too long"));
  });

  it("rejects empty text before and after parsing", async () => {
    expect(await send("")).toEqual(badRequest("message text is empty"));
    expect(await send("  \n ")).toEqual(badRequest("text must be non-empty"));
    expect(await send("<b></b>", { parse_mode: "HTML" })).toEqual(badRequest("text must be non-empty"));
    expect((await send("  padded  ")).json.result.text).toBe("padded");
  });

  it.each([
    ["a < b", 'Unsupported start tag "" at byte offset 2'],
    ["<foo>bar</foo>", 'Unsupported start tag "foo" at byte offset 0'],
    ["é<x>", 'Unsupported start tag "x" at byte offset 2'],
    ["<b>bold", 'Can\'t find end tag corresponding to start tag "b"'],
    ["<b><i>test</b></i>", 'Unmatched end tag at byte offset 10, expected "</i>", found "</b>"'],
    ["</b>", "Unexpected end tag at byte offset 0"],
    ['<a href="x>', "Unclosed start tag at byte offset 0"],
    ["<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ["Tom &foo; Jerry", 'Unsupported character entity "&foo;" at byte offset 4'],
    ["Q&A", 'Unescaped "&" at byte offset 1'],
    ["a > b", 'Unescaped ">" at byte offset 2'],
    ["&lt no semicolon", 'Character entity "&lt" must end with ";" at byte offset 0'],
  ])("rejects bad HTML %j", async (html, reason) => {
    expect(await send(html, { parse_mode: "HTML" })).toEqual(badRequest(`can't parse entities: ${reason}`));
  });

  it("keeps raw & and > as text when strictHtml is off, as tdlib does", async () => {
    const lenient = await FakeTelegram.start({ strictHtml: false });
    lenient.addChat(dm.id, "private");
    const res = await fetch(`${lenient.apiRoot}/bot${lenient.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: dm.id, text: "Tom &foo; Q&A a > b &lt", parse_mode: "HTML" }),
    });
    expect(((await res.json()) as any).result.text).toBe("Tom &foo; Q&A a > b <");
    await lenient.close();
  });

  it("does not implement MarkdownV2", async () => {
    expect(await send("*hi*", { parse_mode: "MarkdownV2" })).toEqual(badRequest("can't parse entities: MarkdownV2 not supported by fake"));
    expect(await send("hi", { parse_mode: "Fancy" })).toEqual(badRequest("unsupported parse_mode"));
  });

  it("validates inline keyboards like Telegram", async () => {
    const keyboard = (button: Record<string, unknown>) => ({ reply_markup: { inline_keyboard: [[{ text: "B", ...button }]] } });
    expect((await send("ok", keyboard({ callback_data: "é".repeat(32) }))).status).toBe(200); // 64 bytes
    expect(await send("no", keyboard({ callback_data: "x".repeat(65) }))).toEqual(badRequest("BUTTON_DATA_INVALID"));
    expect(await send("no", keyboard({ callback_data: "é".repeat(33) }))).toEqual(badRequest("BUTTON_DATA_INVALID"));
    expect(await send("no", keyboard({ callback_data: "" }))).toEqual(badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"));
    expect(await send("no", keyboard({ url: "not-a-url" }))).toEqual(badRequest("inline keyboard button URL 'not-a-url' is invalid: Wrong HTTP URL"));
    expect(await send("no", keyboard({ url: "ftp://example.org" }))).toEqual(badRequest("inline keyboard button URL 'ftp://example.org' is invalid: Unsupported URL protocol"));
    expect(await send("no", { reply_markup: { inline_keyboard: [[{ callback_data: "x" }]] } })).toEqual(badRequest("can't parse inline keyboard button: Can't find field \"text\""));
    expect((await send("link", keyboard({ url: "https://example.org" }))).status).toBe(200);
  });

  it("needs a known chat", async () => {
    expect(await call("sendMessage", { chat_id: 4242, text: "hi" })).toEqual(badRequest("chat not found"));
    expect(await call("sendMessage", { text: "hi" })).toEqual(badRequest("chat_id is empty"));
    fake.addChat(4242, "private");
    expect((await call("sendMessage", { chat_id: "4242", text: "hi" })).status).toBe(200);
  });

  it("simulates flood control, then succeeds", async () => {
    fake.floodWait("sendMessage", 1, 7);
    expect(await send("first")).toEqual({
      status: 429,
      json: { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } },
    });
    expect((await send("again")).status).toBe(200);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.sent().map((m) => m.text)).toEqual(["again"]);
  });

  it("replies to messages and edits them", async () => {
    const update = fake.sendText(dm, alice, "question");
    const { json } = await send("answer", { reply_parameters: { message_id: update.message.message_id } });
    expect(json.result.message_id).toBe(2);
    expect(json.result.reply_to_message).toMatchObject({ message_id: 1, text: "question" });
    expect(await send("x", { reply_parameters: { message_id: 77 } })).toEqual(badRequest("message to be replied not found"));

    const edit = { chat_id: dm.id, message_id: 2, text: "<i>better</i>", parse_mode: "HTML" };
    expect((await call("editMessageText", edit)).json.result).toMatchObject({ text: "better", edit_date: expect.any(Number) });
    expect(await call("editMessageText", edit)).toEqual(badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"));
    expect(await call("editMessageText", { ...edit, message_id: 1 })).toEqual(badRequest("message can't be edited"));
    expect(await call("editMessageText", { ...edit, message_id: 99 })).toEqual(badRequest("message to edit not found"));
    expect(fake.message(dm.id, 2).text).toBe("better");
  });
});

describe("callback queries", () => {
  it("answers only queries it issued, once", async () => {
    fake.addChat(dm.id, "private");
    const markup = { inline_keyboard: [[{ text: "Yes", callback_data: "vote:yes" }]] };
    const { json } = await send("Vote?", { reply_markup: markup });
    const update = fake.clickButton(dm, alice, json.result, "vote:yes");
    expect(update.callback_query).toMatchObject({
      from: { id: alice.id, first_name: "Alice" },
      data: "vote:yes",
      message: { message_id: 1, reply_markup: markup },
    });
    expect(() => fake.clickButton(dm, alice, json.result, "vote:no")).toThrow(/no button "vote:no"/);

    const id = update.callback_query.id as string;
    expect(await call("answerCallbackQuery", { callback_query_id: id, text: "x".repeat(201) })).toEqual(badRequest("MESSAGE_TOO_LONG"));
    expect((await call("answerCallbackQuery", { callback_query_id: id, text: "Thanks" })).json).toEqual({ ok: true, result: true });
    const invalid = badRequest("query is too old and response timeout expired or query ID is invalid");
    expect(await call("answerCallbackQuery", { callback_query_id: id })).toEqual(invalid);
    expect(await call("answerCallbackQuery", { callback_query_id: "12345" })).toEqual(invalid);
    expect(fake.callbackAnswers).toEqual([{ callback_query_id: id, text: "Thanks" }]);
  });
});

describe("updates", () => {
  it("adds command and mention entities to user messages", () => {
    const update = fake.sendText(dm, alice, "/start@terrinclus_bot hello @terrinclus_bot");
    expect(update).toMatchObject({
      update_id: 1,
      message: {
        message_id: 1,
        from: { id: 101, is_bot: false, first_name: "Alice", language_code: "fr", username: "alice" },
        chat: { id: 101, type: "private", first_name: "Alice" },
        text: "/start@terrinclus_bot hello @terrinclus_bot",
        entities: [
          { type: "bot_command", offset: 0, length: 21 },
          { type: "mention", offset: 28, length: 15 },
        ],
      },
    });
    expect(fake.makeTextUpdate(dm, alice, "plain").update_id).toBe(2);
  });

  it("applies group privacy mode", async () => {
    fake.sendText(group, alice, "just chatting");
    fake.sendText(group, alice, "/help");
    fake.sendText(group, alice, "hey @terrinclus_bot");
    const { json } = await call("getUpdates");
    expect(json.result.map((u: any) => u.message.text)).toEqual(["/help", "hey @terrinclus_bot"]);
    expect(fake.undelivered.map((u) => u.message.text)).toEqual(["just chatting"]);
  });

  it("holds a long poll until an update is queued", async () => {
    const started = Date.now();
    let settled = false;
    const poll = call("getUpdates", { offset: 0, timeout: 5 }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe(false);
    fake.sendSticker(dm, alice);
    const { json } = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(json.result).toHaveLength(1);
    expect(json.result[0].message.sticker).toMatchObject({ emoji: "👍" });
    expect((await call("getUpdates", { offset: 2 })).json.result).toEqual([]); // offset confirms update 1
  });

  it("ends a long poll after its timeout, on a newer poll, and on close()", async () => {
    const started = Date.now();
    expect((await call("getUpdates", { timeout: 1 })).json).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const first = call("getUpdates", { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = call("getUpdates", { timeout: 5 });
    expect(await first).toEqual({
      status: 409,
      json: { ok: false, error_code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = Date.now();
    await fake.close();
    expect((await second).json).toEqual({ ok: true, result: [] });
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it("stores commands per scope and language", async () => {
    const commands = [{ command: "help", description: "Aide" }];
    expect((await call("setMyCommands", { commands, language_code: "fr" })).json.result).toBe(true);
    expect(await call("setMyCommands", { commands: [{ command: "Help", description: "x" }] })).toEqual(badRequest("BOT_COMMAND_INVALID"));
    expect(fake.commands.get("default|fr")).toEqual(commands);
    expect((await call("getMyCommands", { language_code: "fr" })).json.result).toEqual(commands);
    expect((await call("getMyCommands")).json.result).toEqual([]);
  });
});

describe("grammY end to end", () => {
  it("runs a long-polling bot against the fake", async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    bot.command("start", (ctx) => ctx.reply("<b>Bienvenue</b> 👋", { parse_mode: "HTML" }));
    const running = bot.start({ drop_pending_updates: true });
    await fake.waitFor((calls) => calls.some((c) => c.method === "getUpdates"));
    fake.sendText(dm, alice, "/start");
    await fake.waitFor((calls) => calls.some((c) => c.method === "sendMessage" && c.status === 200));
    await bot.stop();
    await running;
    expect(fake.sent(dm.id)).toMatchObject([{ text: "Bienvenue 👋", entities: [{ type: "bold", offset: 0, length: 9 }] }]);
    expect(fake.calls.map((c) => c.method)).toEqual(expect.arrayContaining(["deleteWebhook", "getMe", "getUpdates"]));
  });
});
