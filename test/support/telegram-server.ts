/**
 * A local Bot API server for end-to-end tests of a real grammY bot (pass `fake.apiRoot` as grammY's `client.apiRoot`).
 * It speaks Telegram's wire format (JSON, urlencoded and multipart bodies; `{ok, result}` / `{ok, error_code,
 * description, parameters}` answers) and rejects what Telegram rejects, with Telegram's error texts (from tdlib,
 * telegram-bot-api and live API tests). Text, entity and reply_markup rules live in ./telegram-html.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BadRequest, type BotCommand, checkCommands, checkReplyMarkup, codePointLength, findEntities, finishText, jsonValue, prepareText, tryJson } from "./telegram-html.js";

export type { BotCommand, MessageEntity } from "./telegram-html.js";
export type ChatType = "private" | "group" | "supergroup";
export interface ChatRef {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
}
export interface UserRef {
  id: number;
  first_name: string;
  last_name?: string;
  language_code?: string;
  username?: string;
}
export interface RecordedCall {
  method: string;
  body: any;
  at: number;
  status: number;
}
export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}
export interface TextExtra {
  reply_to_message?: any;
  entities?: any[];
}
export interface FakeTelegramOptions {
  token?: string;
  strictHtml?: boolean; // HTML checked as the Bot API docs say (default); false: raw `&`/`>` kept as text, as tdlib does
  privacyMode?: boolean; // group privacy mode (default on, as getMe says can_read_all_group_messages: false)
  /**
   * Off by default. The bot-wide send limit: a sendMessage beyond `perSecond` (all chats together) answers 429 with
   * retry_after. `window` "sliding" (default): in any 1,000 ms; "second": per wall-clock second.
   */
  sendRate?: { perSecond: number; window?: "sliding" | "second" };
}

/** An injected outage (see `FakeTelegram.outage`): every call answers HTTP 500, or is held without an answer. */
export type Outage = "error" | "hang";

export const BOT_USER = {
  id: 999,
  is_bot: true,
  first_name: "Terrinclus",
  username: "terrinclus_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
const BOT_FROM = { id: 999, is_bot: true, first_name: "Terrinclus", username: "terrinclus_bot" };
const CHAT_ACTIONS = new Set(("typing upload_photo record_video upload_video record_voice upload_voice upload_document " + "choose_sticker find_location record_video_note upload_video_note").split(" "));
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]); // unless in allowed_updates
const METHODS = new Map(
  ("getMe getUpdates setWebhook deleteWebhook getWebhookInfo sendMessage editMessageText " + "sendChatAction answerCallbackQuery setMyCommands deleteMyCommands getMyCommands setChatMenuButton close logOut")
    .split(" ")
    .map((m) => [m.toLowerCase(), m]),
);

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: { retry_after: number },
  ) {
    super(description);
  }
}
const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
} // e.g. "Webhook was set"

const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => structuredClone(value);
const int = (value: unknown, fallback: number) => (value !== "" && value !== null && Number.isFinite(Number(value)) ? Math.trunc(Number(value)) : fallback);
const truthy = (value: unknown) => value === true || value === "true" || value === 1 || value === "1";
const omitEmpty = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)));
const userObject = (u: UserRef) => ({ id: u.id, is_bot: false, ...omitEmpty({ first_name: u.first_name, last_name: u.last_name, username: u.username, language_code: u.language_code }) });
const inChat = (list: any[], chatId?: number) => list.filter((m) => chatId === undefined || m.chat.id === chatId).map(clone);
const scopeKey = (scope: any) => [scope?.type ?? "default", scope?.chat_id, scope?.user_id].filter((p) => p !== undefined).join(":");
const commandKey = (b: any) => `${scopeKey(jsonValue(b.scope, "bot command scope"))}|${String(b.language_code ?? "")}`;

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly chatActions: Array<{ chat_id: number; action: string; at: number }> = [];
  /** setMyCommands lists keyed `${scope}|${language_code}`, scope being "default", "chat:42", "chat_member:42:7", ... */
  readonly commands = new Map<string, BotCommand[]>();
  /** Helper-made updates Telegram would not deliver (group privacy mode, allowed_updates). */
  readonly undelivered: any[] = [];
  apiRoot = "";
  readonly token: string;
  private readonly strictHtml: boolean;
  private readonly privacyMode: boolean;
  private readonly sendRate?: { perSecond: number; window: "sliding" | "second" };
  /** Arrival times of the sendMessage calls let through by the rate limit, within the last second. */
  private recentSends: number[] = [];
  private server?: http.Server;
  private currentOutage?: Outage;
  /** Calls held without an answer during a "hang" outage. */
  private held = new Set<http.ServerResponse>();
  private updates: any[] = [];
  private nextUpdateId = 1;
  private chats = new Map<number, any>();
  private lastMessageId = new Map<number, number>();
  private messages = new Map<string, any>();
  private sentMessages: any[] = [];
  private editedMessages: any[] = [];
  private queries = new Map<string, { answered: boolean }>();
  private flood = new Map<string, { times: number; retryAfter: number }>();
  private poll?: { resolve: (updates: any[]) => void; reject: (error: ApiError) => void; limit: number; timer: NodeJS.Timeout };
  private webhookUrl = "";
  private allowedUpdates: string[] = [];

  private constructor(options: FakeTelegramOptions) {
    this.token = options.token ?? "000000:FAKE-test-token";
    this.strictHtml = options.strictHtml ?? true;
    this.privacyMode = options.privacyMode ?? true;
    if (options.sendRate) this.sendRate = { perSecond: options.sendRate.perSecond, window: options.sendRate.window ?? "sliding" };
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options);
    const server = http.createServer((req, res) => void fake.handle(req, res));
    fake.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    fake.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Answers a pending long poll with no updates at once, then stops the server and its keep-alive sockets. */
  async close(): Promise<void> {
    this.settlePoll([]);
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 5)); // lets the released poll's answer go out
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /**
   * Off by default. From now on every call answers HTTP 500 (`"error"`) or gets no answer at all (`"hang"`); with
   * `undefined` the server works again, and the connections of the calls held so far are dropped (as a hung server's are).
   */
  outage(mode: Outage | undefined): void {
    this.currentOutage = mode;
    if (mode) return;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  /** The next `times` calls of `method` answer 429 "Too Many Requests: retry after N". */
  floodWait(method: string, times: number, retryAfterSeconds: number): void {
    this.flood.set(method.toLowerCase(), { times, retryAfter: retryAfterSeconds });
  }

  /** Makes a chat known without an update (sendMessage to a chat the bot never saw fails). */
  addChat(id: number, type: ChatType, extra: { title?: string; username?: string; first_name?: string } = {}): void {
    const names = type === "private" ? { first_name: extra.first_name ?? `User ${id}` } : { title: extra.title ?? `Chat ${id}` };
    this.chats.set(id, { id, ...names, ...omitEmpty({ username: extra.username }), type });
  }

  /** sendMessage results (as returned when sent), optionally for one chat. */
  sent(chatId?: number): any[] {
    return inChat(this.sentMessages, chatId);
  }

  /** editMessageText results, optionally for one chat. */
  edits(chatId?: number): any[] {
    return inChat(this.editedMessages, chatId);
  }

  /** The current state of a message (after edits), if any. */
  message(chatId: number, messageId: number): any {
    return clone(this.messages.get(`${chatId}:${messageId}`));
  }

  commandsFor(scope: Record<string, unknown> = { type: "default" }, languageCode = ""): BotCommand[] | undefined {
    return this.commands.get(`${scopeKey(scope)}|${languageCode}`);
  }

  /** A text message update as Telegram sends it (commands, mentions, links... as entities), not queued. */
  makeTextUpdate(chat: ChatRef, from: UserRef, text: string, extra: TextExtra = {}): any {
    return this.makeMessageUpdate(
      chat,
      from,
      omitEmpty({
        text,
        entities: extra.entities ?? findEntities(text),
        reply_to_message: extra.reply_to_message,
      }),
    );
  }

  sendText(chat: ChatRef, from: UserRef, text: string, extra: TextExtra = {}): any {
    return this.enqueue(this.makeTextUpdate(chat, from, text, extra));
  }

  sendSticker(chat: ChatRef, from: UserRef): any {
    const n = this.nextUpdateId;
    const sticker = {
      file_id: `CAACAgIAAxkBAAI${n}sticker`,
      file_unique_id: `AgAD${n}st`,
      type: "regular",
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: "👍",
      set_name: "FakeStickers",
      file_size: 20480,
    };
    return this.enqueue(this.makeMessageUpdate(chat, from, { sticker }));
  }

  sendPhoto(chat: ChatRef, from: UserRef, caption?: string): any {
    const n = this.nextUpdateId;
    const photo = [
      [90, 67, 1200],
      [320, 240, 15000],
      [1280, 960, 98000],
    ].map(([width, height, size], i) => ({
      file_id: `AgACAgIAAxkBAAI${n}photo${i}`,
      file_unique_id: `AQAD${n}ph${i}`,
      file_size: size,
      width,
      height,
    }));
    const captionEntities = caption === undefined ? [] : findEntities(caption);
    return this.enqueue(this.makeMessageUpdate(chat, from, omitEmpty({ photo, caption, caption_entities: captionEntities })));
  }

  /** A user presses an inline button of `message` (one the bot sent); throws if it has no such button. */
  clickButton(chat: ChatRef, from: UserRef, message: any, data: string): any {
    const current = this.messages.get(`${chat.id}:${message?.message_id}`);
    if (!current) throw new Error(`FakeTelegram.clickButton: no message ${message?.message_id} in chat ${chat.id}`);
    const buttons: any[] = (current.reply_markup?.inline_keyboard ?? []).flat();
    if (!buttons.some((b) => b.callback_data === data)) {
      const offered = JSON.stringify(buttons.map((b) => b.callback_data).filter((d) => d !== undefined));
      throw new Error(`FakeTelegram.clickButton: message ${current.message_id} has no button "${data}" (has ${offered})`);
    }
    return this.enqueue(this.makeCallbackUpdate(chat, from, current, data));
  }

  /**
   * A callback query for `message` carrying any `data` (a modified client can send data no button has), not queued;
   * its query id is known here, so the bot can answer it.
   */
  makeCallbackUpdate(chat: ChatRef, from: UserRef, message: any, data: string): any {
    const id = `${BigInt(Date.now()) * 1000000n + BigInt(this.nextUpdateId)}`;
    this.queries.set(id, { answered: false });
    const chatInstance = `${-4000000000000000000n - BigInt(chat.id)}`;
    const query = { id, from: userObject(from), message: clone(message), chat_instance: chatInstance, data };
    return { update_id: this.nextUpdateId++, callback_query: query };
  }

  /** Resolves once `predicate(calls)` holds; rejects after `timeoutMs` with the calls seen. */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline) {
        const seen = this.calls.map((c) => `${c.method}:${c.status}`).join(", ");
        throw new Error(`FakeTelegram.waitFor: not met within ${timeoutMs} ms; calls: [${seen}]`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private makeMessageUpdate(ref: ChatRef, from: UserRef, content: Record<string, unknown>): any {
    const names =
      ref.type === "private" ? { first_name: from.first_name, last_name: from.last_name, username: from.username } : { title: ref.title ?? this.chats.get(ref.id)?.title ?? `Chat ${ref.id}`, username: ref.username };
    const chat = { id: ref.id, ...omitEmpty(names), type: ref.type };
    this.chats.set(ref.id, chat);
    return { update_id: this.nextUpdateId++, message: clone(this.storeMessage(chat, { from: userObject(from), ...content })) };
  }

  /** Message ids run per chat, shared by the users' and the bot's messages, as in Telegram. */
  private storeMessage(chat: any, fields: Record<string, unknown>): any {
    const messageId = (this.lastMessageId.get(chat.id) ?? 0) + 1;
    this.lastMessageId.set(chat.id, messageId);
    const message = { message_id: messageId, ...fields, chat, date: now() };
    this.messages.set(`${chat.id}:${messageId}`, message);
    return message;
  }

  private enqueue(update: any): any {
    const type = Object.keys(update).find((k) => k !== "update_id") ?? "";
    const allowed = this.allowedUpdates.length ? this.allowedUpdates.includes(type) : !OPT_IN_UPDATES.has(type);
    if (!allowed || !this.visibleToBot(update.message)) {
      this.undelivered.push(update);
      return update;
    }
    this.updates.push(update);
    if (this.poll) this.settlePoll(this.updates.slice(0, this.poll.limit));
    return update;
  }

  /** Privacy mode: in groups the bot only gets commands, mentions of itself and replies to its messages. */
  private visibleToBot(message: any): boolean {
    if (!message || !this.privacyMode || message.chat.type === "private") return true;
    const text: string = message.text ?? message.caption ?? "";
    const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
    if (command && (!command[1] || command[1].toLowerCase() === BOT_USER.username)) return true;
    return text.toLowerCase().includes(`@${BOT_USER.username}`) || message.reply_to_message?.from?.id === BOT_USER.id;
  }

  private settlePoll(updates: any[], error?: ApiError): void {
    const poll = this.poll;
    if (!poll) return;
    this.poll = undefined;
    clearTimeout(poll.timer);
    if (error) poll.reject(error);
    else poll.resolve(clone(updates));
  }

  /** Calls are recorded on arrival, in order; `status` stays 0 until answered (a held long poll). */
  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    const raw = await readBody(req);
    const call: RecordedCall = { method: route?.[2] ?? url.pathname, body: {}, at: Date.now(), status: 0 };
    this.calls.push(call);
    let payload: Record<string, unknown>;
    try {
      call.body = parseBody(req.headers["content-type"] ?? "", raw, url.searchParams);
      if (this.currentOutage === "hang") return void this.held.add(res);
      if (this.currentOutage === "error") throw new ApiError(500, "Internal Server Error");
      if (!route) throw new ApiError(404, "Not Found");
      if (route[1] !== this.token) throw new ApiError(401, "Unauthorized");
      const method = METHODS.get(call.method.toLowerCase());
      if (!method) throw new ApiError(404, "Not Found");
      call.method = method;
      const flood = this.flood.get(method.toLowerCase());
      if (flood && flood.times > 0) {
        flood.times--;
        throw new ApiError(429, `Too Many Requests: retry after ${flood.retryAfter}`, { retry_after: flood.retryAfter });
      }
      if (method === "sendMessage" && this.sendRate) this.checkSendRate(this.sendRate, call.at);
      const result = method === "getUpdates" ? await this.getUpdates(call.body, res) : this.dispatch(method, call.body);
      payload = result instanceof Described ? { ok: true, result: result.result, description: result.description } : { ok: true, result };
      call.status = 200;
    } catch (error) {
      const e = error instanceof ApiError ? error : error instanceof BadRequest ? new ApiError(400, error.description) : new ApiError(500, `Internal Server Error: ${String(error)}`);
      call.status = e.status;
      payload = { ok: false, error_code: e.status, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) };
    }
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(call.status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  }

  /** The bot-wide send rate (option `sendRate`): 429 with retry_after (whole seconds) until the window has room. */
  private checkSendRate(rate: { perSecond: number; window: "sliding" | "second" }, at: number): void {
    const windowStart = rate.window === "sliding" ? at - 999 : Math.floor(at / 1000) * 1000;
    this.recentSends = this.recentSends.filter((t) => t >= windowStart);
    if (this.recentSends.length >= rate.perSecond) {
      const retryAfter = Math.max(1, Math.ceil(((rate.window === "sliding" ? this.recentSends[0]! : windowStart) + 1000 - at) / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    this.recentSends.push(at);
  }

  private dispatch(method: string, b: any): unknown {
    switch (method) {
      case "getMe":
        return { ...BOT_USER };
      case "sendMessage":
        return this.sendMessage(b);
      case "editMessageText":
        return this.editMessageText(b);
      case "sendChatAction": {
        const chat = this.knownChat(b.chat_id);
        if (!CHAT_ACTIONS.has(b.action)) throw bad("wrong parameter action in request");
        this.chatActions.push({ chat_id: chat.id, action: b.action, at: Date.now() });
        return true;
      }
      case "answerCallbackQuery":
        return this.answerCallbackQuery(b);
      case "setWebhook":
        return this.setWebhook(b);
      case "deleteWebhook":
        return this.setWebhook({ url: "", drop_pending_updates: b.drop_pending_updates });
      case "getWebhookInfo":
        return { url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.updates.length };
      case "setMyCommands":
        this.commands.set(commandKey(b), checkCommands(jsonValue(b.commands, "commands")));
        return true;
      case "deleteMyCommands":
        this.commands.delete(commandKey(b));
        return true;
      case "getMyCommands":
        return clone(this.commands.get(commandKey(b)) ?? []);
      default:
        return true; // setChatMenuButton, close, logOut
    }
  }

  /** Long polling: confirms updates below `offset`, answers at once if any are queued, else holds up to `timeout` s. */
  private getUpdates(b: any, res: http.ServerResponse): unknown {
    const webhookActive = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
    if (this.webhookUrl) throw new ApiError(409, webhookActive);
    const offset = int(b.offset, 0);
    const limit = Math.min(100, Math.max(1, int(b.limit, 100)));
    const timeout = Math.max(0, int(b.timeout, 0));
    const allowed = jsonValue(b.allowed_updates, "allowed_updates");
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
    if (this.updates.length > 0 || timeout === 0) return clone(this.updates.slice(0, limit));
    this.settlePoll([], new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    return new Promise<any[]>((resolve, reject) => {
      const poll = { resolve, reject, limit, timer: setTimeout(() => this.settlePoll([]), timeout * 1000) };
      this.poll = poll;
      res.on("close", () => {
        if (this.poll === poll && !res.writableEnded) this.settlePoll([]); // the client gave up (grammY's bot.stop())
      });
    });
  }

  private knownChat(value: unknown): any {
    if (value === undefined || value === null || value === "") throw bad("chat_id is empty");
    const chat = typeof value === "number" || /^-?\d+$/.test(String(value)) ? this.chats.get(Number(value)) : [...this.chats.values()].find((c) => `@${c.username}`.toLowerCase() === String(value).toLowerCase());
    if (!chat) throw bad("chat not found");
    return chat;
  }

  private sendMessage(b: any): any {
    if (b.chat_id === undefined || b.chat_id === "") throw bad("chat_id is empty");
    const prepared = prepareText(b.text, b.parse_mode, b.entities, this.strictHtml);
    const markup = checkReplyMarkup(b.reply_markup);
    const chat = this.knownChat(b.chat_id);
    const reply = jsonValue(b.reply_parameters, "reply parameters");
    const replyId = int(reply?.message_id ?? b.reply_to_message_id, 0);
    const replyTo = replyId ? this.messages.get(`${chat.id}:${replyId}`) : undefined;
    if (replyId && !replyTo && !truthy(reply?.allow_sending_without_reply ?? b.allow_sending_without_reply)) {
      throw bad("message to be replied not found");
    }
    const text = finishText(prepared, 4096);
    const { reply_to_message: _nested, ...replied } = replyTo ?? {};
    const message = this.storeMessage(chat, {
      from: { ...BOT_FROM },
      ...omitEmpty({
        reply_to_message: replyTo && clone(replied),
        text: text.text,
        entities: text.entities,
        reply_markup: markup,
      }),
    });
    this.sentMessages.push(clone(message));
    return clone(message);
  }

  private editMessageText(b: any): any {
    if (b.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID"); // inline messages are not simulated
    if (b.chat_id === undefined || b.chat_id === "") throw bad("chat_id is empty");
    const messageId = int(b.message_id, 0);
    if (!messageId) throw bad("message identifier is not specified");
    const prepared = prepareText(b.text, b.parse_mode, b.entities, this.strictHtml);
    const markup = checkReplyMarkup(b.reply_markup);
    const chat = this.knownChat(b.chat_id);
    const message = this.messages.get(`${chat.id}:${messageId}`);
    if (!message) throw bad("message to edit not found");
    if (message.from?.id !== BOT_USER.id) throw bad("message can't be edited");
    if (message.text === undefined) throw bad("there is no text in the message to edit");
    const text = finishText(prepared, 4096);
    const next = omitEmpty({ text: text.text, entities: text.entities, reply_markup: markup });
    const json = (m: any) => JSON.stringify([m.text, m.entities ?? null, m.reply_markup ?? null]);
    if (json(message) === json(next)) {
      throw bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    }
    delete message.entities;
    delete message.reply_markup; // an edit without reply_markup removes the inline keyboard
    Object.assign(message, next, { edit_date: now() });
    this.editedMessages.push(clone(message));
    return clone(message);
  }

  private answerCallbackQuery(b: any): boolean {
    const id = String(b.callback_query_id ?? "");
    const query = this.queries.get(id);
    if (!query || query.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
    if (typeof b.text === "string" && codePointLength(b.text) > 200) throw bad("MESSAGE_TOO_LONG");
    query.answered = true;
    const flags = { show_alert: b.show_alert === undefined ? undefined : truthy(b.show_alert), cache_time: b.cache_time === undefined ? undefined : int(b.cache_time, 0) };
    this.callbackAnswers.push({ callback_query_id: id, ...omitEmpty({ text: b.text, url: b.url, ...flags }) });
    return true;
  }

  private setWebhook(b: any): Described {
    const url = String(b.url ?? "");
    if (url !== "") {
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      if (!parsed) throw bad("bad webhook: Failed to resolve host: Name or service not known");
      if (parsed.protocol !== "https:") throw bad("bad webhook: An HTTPS URL must be provided for webhook");
      if (!["", "80", "88", "443", "8443"].includes(parsed.port)) throw bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
      const allowed = jsonValue(b.allowed_updates, "allowed_updates");
      if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
      this.settlePoll([], new ApiError(409, "Conflict: terminated by setWebhook request"));
    }
    if (truthy(b.drop_pending_updates)) this.updates = [];
    const had = this.webhookUrl !== "";
    this.webhookUrl = url;
    return new Described(true, url !== "" ? "Webhook was set" : had ? "Webhook was deleted" : "Webhook is already deleted");
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form values are strings; objects and arrays come JSON-serialized in them. */
const formValue = (value: string): unknown => (/^[[{]/.test(value) ? (tryJson(value) ?? value) : value);

/** JSON, application/x-www-form-urlencoded or multipart/form-data (files recorded as {filename, size}). */
function parseBody(contentType: string, raw: Buffer, query: URLSearchParams): any {
  const body: Record<string, unknown> = {};
  for (const [k, v] of query) body[k] = formValue(v);
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (raw.length === 0) return body;
  if (type === "application/json") {
    const parsed = tryJson(raw.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bad("can't parse JSON object");
    return Object.assign(body, parsed);
  }
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(raw.toString("utf8"))) body[k] = formValue(v);
    return body;
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (type !== "multipart/form-data" || !boundary) return body;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  for (let pos = raw.indexOf(delimiter); pos >= 0; ) {
    const start = pos + delimiter.length;
    const next = raw.indexOf(delimiter, start);
    if (next < 0 || raw.subarray(start, start + 2).toString() === "--") break;
    const part = raw.subarray(start, next);
    const split = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4, part.length - 2); // without the CRLF before the next delimiter
    const name = /(?:^|[;\s])name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (name !== undefined) body[name] = filename !== undefined ? { filename, size: content.length } : formValue(content.toString("utf8"));
    pos = next;
  }
  return body;
}
