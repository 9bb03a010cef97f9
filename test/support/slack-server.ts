/**
 * A local server that speaks the Slack Web API for end-to-end tests of the real Bolt app (pass `fake.apiUrl` as
 * SLACK_API_URL). It takes form-encoded and JSON bodies, checks `Authorization: Bearer`, answers `auth.test`,
 * `chat.postMessage`, `chat.postEphemeral` and `apps.connections.open`, and refuses what Slack refuses, with Slack's
 * error codes: `invalid_blocks` (more than 50 blocks, a section text over 3,000 characters, a button text over 75 or a
 * value over 2,000, duplicate action ids), `msg_too_long`, `no_text`, `ratelimited` (HTTP 429 with Retry-After, when
 * programmed). A message with blocks but no `text` is accepted with Slack's warning and recorded as a violation.
 * Also here: requests signed as Slack signs them, and a server that receives `response_url` posts.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

export interface SlackCall {
  method: string;
  body: any;
  status: number;
  error?: string;
  at: number;
}
export interface SlackPost {
  method: "chat.postMessage" | "chat.postEphemeral";
  channel: string;
  thread_ts?: string;
  user?: string;
  text?: string;
  blocks: any[];
  ts: string;
  at: number;
}
export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
}

/** An injected outage (see `FakeSlack.outage`): every Web API call answers HTTP 500, or is held without an answer. */
export type Outage = "error" | "hang";

const LIMITS = { blocks: 50, sectionText: 3000, buttonText: 75, buttonValue: 2000, actionId: 255, contextElements: 10, actionsElements: 25, text: 40_000 };
const BLOCK_TYPES = new Set(["section", "context", "actions", "divider", "header", "image", "rich_text", "input", "file", "video", "markdown"]);

class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly messages: string[] = [],
  ) {
    super(code);
  }
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly posts: SlackPost[] = [];
  /** Accepted requests Slack would warn about (e.g. blocks without a `text` fallback). */
  readonly violations: string[] = [];
  apiUrl = "";
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  private server?: http.Server;
  private counter = 0;
  private limits = new Map<string, { times: number; retryAfter: number }>();
  private currentOutage?: Outage;
  /** Calls held without an answer during a "hang" outage. */
  private held = new Set<http.ServerResponse>();
  /** Socket Mode: open WebSocket connections, and the acknowledgements the app sent back per envelope. */
  private sockets = new Set<Duplex>();
  private acks = new Map<string, (ack: any) => void>();
  readonly socketAcks: any[] = [];

  private constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? "xoxb-FAKE-test-token";
    this.appToken = options.appToken ?? "xapp-FAKE-test-token";
    this.teamId = options.teamId ?? "T0TEST";
    this.botUserId = options.botUserId ?? "UBOT";
    this.botId = options.botId ?? "BBOT";
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    fake.server.on("upgrade", (req, socket: Duplex) => fake.upgrade(req, socket));
    await new Promise<void>((resolve) => fake.server!.listen(0, "127.0.0.1", resolve));
    fake.apiUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/api/`;
    return fake;
  }

  /** Channels the app was not invited to: posting there fails with `not_in_channel`. */
  readonly outside = new Set<string>();

  /** The next `times` calls of `method` get HTTP 429 `ratelimited` with `Retry-After: retryAfter`. */
  rateLimit(method: string, times: number, retryAfter: number): void {
    this.limits.set(method, { times, retryAfter });
  }

  /**
   * Off by default. From now on every Web API call answers HTTP 500 (`"error"`) or gets no answer at all (`"hang"`);
   * with `undefined` the server works again, and the connections of the calls held so far are dropped.
   */
  outage(mode: Outage | undefined): void {
    this.currentOutage = mode;
    if (mode) return;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  /** Messages posted in a channel (all, or only those of one thread, the thread's parent included when posted here). */
  messages(channel: string, threadTs?: string): SlackPost[] {
    return this.posts.filter((p) => p.method === "chat.postMessage" && p.channel === channel && (threadTs === undefined || p.thread_ts === threadTs));
  }

  ephemerals(channel: string): SlackPost[] {
    return this.posts.filter((p) => p.method === "chat.postEphemeral" && p.channel === channel);
  }

  /** Calls that Slack refused (other than programmed rate limits and outages). */
  refused(): SlackCall[] {
    return this.calls.filter((c) => c.error && c.error !== "ratelimited" && c.status < 500);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms; posts: ${JSON.stringify(this.posts.map((p) => p.text?.slice(0, 80)))}; refused: ${JSON.stringify(this.refused())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Socket Mode connections open now. */
  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Delivers an envelope over the Socket Mode connection (`events_api`, `slash_commands` or `interactive`)
   * and resolves with the app's acknowledgement (which must name the envelope id).
   */
  async deliver(type: "events_api" | "slash_commands" | "interactive", payload: unknown, timeoutMs = 3000): Promise<{ ack: any; ms: number }> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error("no Socket Mode connection");
    const envelopeId = randomUUID();
    const started = Date.now();
    const acked = new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${envelopeId} not acknowledged within ${timeoutMs} ms`)), timeoutMs);
      this.acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    sendFrame(socket, 0x1, JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== "events_api", retry_attempt: 0, retry_reason: "" }));
    const ack = await acked;
    return { ack, ms: Date.now() - started };
  }

  /** The WebSocket handshake (RFC 6455) on the URL `apps.connections.open` gave, then Slack's `hello`. */
  private upgrade(req: http.IncomingMessage, socket: Duplex): void {
    const key = req.headers["sec-websocket-key"];
    if (!req.url?.startsWith("/link/") || typeof key !== "string") return void socket.destroy();
    const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.sockets.add(socket);
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
        buffer = buffer.subarray(frame.size);
        this.onFrame(socket, frame.opcode, frame.payload);
      }
    });
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => this.sockets.delete(socket));
    sendFrame(socket, 0x1, JSON.stringify({ type: "hello", num_connections: this.sockets.size, debug_info: { host: "fake-slack", approximate_connection_time: 18060 }, connection_info: { app_id: "A0TEST" } }));
  }

  private onFrame(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === 0x9) {
      sendFrame(socket, 0xa, payload); // ping → pong
      return;
    }
    if (opcode === 0x8) {
      sendFrame(socket, 0x8, payload.subarray(0, 2));
      this.sockets.delete(socket);
      return void socket.end();
    }
    if (opcode !== 0x1) return;
    const message = JSON.parse(payload.toString("utf8"));
    this.socketAcks.push(message);
    this.acks.get(message.envelope_id)?.(message);
    this.acks.delete(message.envelope_id);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    const method = url.pathname.replace(/^\/api\//, "");
    let body: any = {};
    const type = String(req.headers["content-type"] ?? "");
    const reply = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
      this.calls.push({ method, body, status, ...(payload.ok ? {} : { error: String(payload.error) }), at: Date.now() });
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(payload));
    };
    try {
      if (req.method !== "POST") return reply(405, { ok: false, error: "method_not_supported_for_channel_type" });
      body = type.includes("application/json") ? (raw ? JSON.parse(raw) : {}) : Object.fromEntries(new URLSearchParams(raw));
      if (this.currentOutage === "hang") {
        this.calls.push({ method, body, status: 0, at: Date.now() });
        return void this.held.add(res);
      }
      if (this.currentOutage === "error") return reply(500, { ok: false, error: "internal_error" });
      const limit = this.limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        return reply(429, { ok: false, error: "ratelimited" }, { "Retry-After": String(limit.retryAfter) });
      }
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? body.token;
      if (!token) throw new SlackError("not_authed");
      const result = this.dispatch(method, body, token);
      return reply(200, { ok: true, ...result });
    } catch (error) {
      if (error instanceof SlackError) return reply(200, { ok: false, error: error.code, ...(error.messages.length ? { response_metadata: { messages: error.messages } } : {}) });
      return reply(200, { ok: false, error: "invalid_arguments", detail: (error as Error).message });
    }
  }

  private dispatch(method: string, body: any, token: string): Record<string, unknown> {
    if (method === "apps.connections.open") {
      if (token !== this.appToken) throw new SlackError("invalid_auth");
      return { url: `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}/link/?ticket=${randomUUID()}&app_id=A0TEST` };
    }
    if (token !== this.botToken) throw new SlackError("invalid_auth");
    switch (method) {
      case "auth.test":
        return { url: "https://terrinclus-test.slack.com/", team: "Terrinclus test", user: "terrinclus", team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case "chat.postMessage":
      case "chat.postEphemeral": {
        const post = this.checkMessage(method, body);
        this.posts.push(post);
        return method === "chat.postMessage" ? { channel: post.channel, ts: post.ts, message: { text: post.text, ts: post.ts, bot_id: this.botId } } : { message_ts: post.ts };
      }
      default:
        throw new SlackError("unknown_method");
    }
  }

  private checkMessage(method: SlackPost["method"], body: any): SlackPost {
    if (!body.channel) throw new SlackError("channel_not_found");
    if (this.outside.has(String(body.channel))) throw new SlackError("not_in_channel");
    if (method === "chat.postEphemeral" && !body.user) throw new SlackError("user_not_in_channel");
    let blocks: any[] = [];
    if (body.blocks !== undefined && body.blocks !== "") {
      try {
        blocks = typeof body.blocks === "string" ? JSON.parse(body.blocks) : body.blocks;
      } catch {
        throw new SlackError("invalid_blocks_format");
      }
      if (!Array.isArray(blocks)) throw new SlackError("invalid_blocks_format");
      checkBlocks(blocks);
    }
    const text = body.text === undefined ? undefined : String(body.text);
    if (!text && !blocks.length) throw new SlackError("no_text");
    if (text && text.length > LIMITS.text) throw new SlackError("msg_too_long");
    if (!text && blocks.length) this.violations.push(`${method} without text fallback (missing_text_or_fallback_or_attachments)`);
    const now = Date.now();
    const ts = `${Math.floor(now / 1000)}.${String(++this.counter).padStart(6, "0")}`;
    return {
      method,
      channel: String(body.channel),
      ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
      ...(body.user ? { user: String(body.user) } : {}),
      ...(text !== undefined ? { text } : {}),
      blocks,
      ts,
      at: now,
    };
  }
}

/** Block Kit rules the app must respect (Slack answers `invalid_blocks` with a message per problem). */
export function checkBlocks(blocks: any[]): void {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`[ERROR] no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  const actionIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `[json-pointer:/blocks/${i}`;
    if (!block || !BLOCK_TYPES.has(block.type)) return void problems.push(`[ERROR] invalid block type ${at}/type]`);
    if (block.type === "section") {
      if (!block.text && !block.fields) problems.push(`[ERROR] must provide a text or fields ${at}]`);
      if (block.text) checkText(block.text, LIMITS.sectionText, `${at}/text`, problems);
    }
    if (block.type === "context") {
      if (!Array.isArray(block.elements) || !block.elements.length || block.elements.length > LIMITS.contextElements) problems.push(`[ERROR] must have 1 to ${LIMITS.contextElements} elements ${at}/elements]`);
      (block.elements ?? []).forEach((e: any, j: number) => e.type !== "image" && checkText(e, LIMITS.sectionText, `${at}/elements/${j}`, problems));
    }
    if (block.type === "actions") {
      if (!Array.isArray(block.elements) || !block.elements.length || block.elements.length > LIMITS.actionsElements) problems.push(`[ERROR] must have 1 to ${LIMITS.actionsElements} elements ${at}/elements]`);
      (block.elements ?? []).forEach((e: any, j: number) => {
        const where = `${at}/elements/${j}`;
        if (e.type !== "button") return;
        if (e.text?.type !== "plain_text") problems.push(`[ERROR] must be plain_text ${where}/text]`);
        else if ([...String(e.text.text)].length > LIMITS.buttonText || !e.text.text) problems.push(`[ERROR] must be between 1 and ${LIMITS.buttonText} characters ${where}/text]`);
        if (e.value !== undefined && String(e.value).length > LIMITS.buttonValue) problems.push(`[ERROR] must be less than ${LIMITS.buttonValue} characters ${where}/value]`);
        if (e.action_id !== undefined) {
          if (String(e.action_id).length > LIMITS.actionId) problems.push(`[ERROR] action_id too long ${where}/action_id]`);
          if (actionIds.has(e.action_id)) problems.push(`[ERROR] action_id already exists ${where}/action_id]`);
          actionIds.add(e.action_id);
        }
      });
    }
    if (block.type === "header") checkText(block.text, 150, `${at}/text`, problems);
  });
  if (problems.length) throw new SlackError("invalid_blocks", problems);
}

function checkText(text: any, max: number, at: string, problems: string[]): void {
  if (!text || (text.type !== "mrkdwn" && text.type !== "plain_text") || typeof text.text !== "string") return void problems.push(`[ERROR] must be a text object ${at}]`);
  if (!text.text.length || text.text.length > max) problems.push(`[ERROR] must be between 1 and ${max} characters ${at}/text]`);
}

/** One WebSocket frame from the start of `buffer` (client frames are masked), or undefined until it is complete. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, size: offset + length };
}

/** A server frame (unmasked, unfragmented). */
function sendFrame(socket: Duplex, opcode: number, data: string | Buffer): void {
  const payload = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const header = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : payload.length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (payload.length >= 126 && payload.length < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else if (payload.length >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  if (!socket.destroyed) socket.write(Buffer.concat([header, payload]));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  /** Overrides the computed signature (forgery tests). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a body to the app's receiver, signed exactly as Slack signs it. */
export async function signedPost(url: string, secret: string, body: string, contentType: string, options: SignedPostOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "x-slack-request-timestamp": String(timestamp), "x-slack-signature": options.signature ?? slackSignature(secret, timestamp, body), ...options.headers },
    body,
  });
}

/** An Events API envelope (`event_callback`). */
export function eventEnvelope(team: string, event: Record<string, unknown>, eventId: string): string {
  return JSON.stringify({
    token: "verification-token",
    team_id: team,
    api_app_id: "A0TEST",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [{ team_id: team, user_id: "UBOT", is_bot: true }],
  });
}

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(fields: { team: string; channel: string; user: string; text: string; responseUrl: string; command?: string }): string {
  return new URLSearchParams({
    token: "verification-token",
    team_id: fields.team,
    team_domain: "test",
    channel_id: fields.channel,
    channel_name: "general",
    user_id: fields.user,
    user_name: "awa",
    command: fields.command ?? "/terrinclus",
    text: fields.text,
    api_app_id: "A0TEST",
    response_url: fields.responseUrl,
    trigger_id: "1.2.3",
  }).toString();
}

/** A button press (`block_actions`) as Slack posts it: form-encoded `payload=<json>`. */
export function blockActionsBody(fields: { team: string; channel: string; user: string; message: { ts: string; thread_ts?: string }; actionId: string; value: string; responseUrl: string }): string {
  const payload = {
    type: "block_actions",
    team: { id: fields.team, domain: "test" },
    user: { id: fields.user, team_id: fields.team },
    api_app_id: "A0TEST",
    token: "verification-token",
    container: { type: "message", message_ts: fields.message.ts, channel_id: fields.channel, is_ephemeral: false },
    trigger_id: "1.2.3",
    channel: { id: fields.channel, name: "general" },
    message: { type: "message", ts: fields.message.ts, ...(fields.message.thread_ts ? { thread_ts: fields.message.thread_ts } : {}), text: "…" },
    response_url: fields.responseUrl,
    actions: [{ type: "button", action_id: fields.actionId, block_id: "b1", value: fields.value, action_ts: String(Date.now() / 1000) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Receives what the app posts to a `response_url`. */
export class ResponseUrlServer {
  readonly received: Array<{ path: string; body: any; at: number }> = [];
  private server?: http.Server;
  private base = "";

  static async start(): Promise<ResponseUrlServer> {
    const sink = new ResponseUrlServer();
    sink.server = http.createServer(async (req, res) => {
      const raw = await readBody(req);
      sink.received.push({ path: req.url ?? "/", body: raw ? JSON.parse(raw) : {}, at: Date.now() });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    await new Promise<void>((resolve) => sink.server!.listen(0, "127.0.0.1", resolve));
    sink.base = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
    return sink;
  }

  url(name: string): string {
    return `${this.base}/commands/${name}`;
  }

  to(name: string): Array<{ body: any; at: number }> {
    return this.received.filter((r) => r.path === `/commands/${name}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
