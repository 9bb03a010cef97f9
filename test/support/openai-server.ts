/**
 * A local stand-in for an OpenAI-compatible API (embeddings and chat completions), speaking its wire format:
 * JSON bodies, `{ error: { message, type, code } }` errors, and Server-Sent Events for `stream: true`
 * (`data: {chat.completion.chunk}` lines with `choices[0].delta.content`, then `data: [DONE]`).
 * Tests program its behaviour (reply text, delay, failures) and read back the requests it received.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was not JSON). */
  body: any;
}

interface ChatMessage {
  role: string;
  content: string | Array<{ type: string; text?: string }>;
}

export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export type ReplyFn = (body: ChatBody) => string | Promise<string>;

export interface FakeOpenAIOptions {
  /** Embedding size when the request gives no `dimensions` (default 64). */
  dimension?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Characters per streamed chunk (default 4). */
  chunkSize?: number;
}

export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private replyFn: ReplyFn = () => "Réponse de test tirée du passage [1].";
  private delayMs = 0;
  private failures: Array<{ status: number; message: string }> = [];
  private dimension: number;
  private apiKey: string | undefined;
  private readonly chunkSize: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    options: FakeOpenAIOptions,
  ) {
    this.dimension = options.dimension ?? 64;
    this.apiKey = options.apiKey;
    this.chunkSize = options.chunkSize ?? 4;
  }

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    let fake: FakeOpenAI | undefined;
    const server = createServer((req, res) => {
      void fake!.handle(req, res).catch((error: Error) => {
        if (!res.headersSent) sendError(res, 500, `fake server error: ${error.message}`, "server_error");
        else res.destroy();
      });
    });
    fake = new FakeOpenAI(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Base URL as clients expect it (`…/v1`). */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Decides the assistant's text from each chat request. */
  reply(fn: ReplyFn): this {
    this.replyFn = fn;
    return this;
  }

  /** Waits this long before answering every later request (0 to stop). */
  delay(ms: number): this {
    this.delayMs = ms;
    return this;
  }

  /** The next `times` requests fail with this status and an OpenAI-style error body. */
  fail(status: number, message: string, times = 1): this {
    for (let i = 0; i < times; i++) this.failures.push({ status, message });
    return this;
  }

  /** Requires `Authorization: Bearer <key>` on every request (undefined: no check). */
  requireApiKey(key: string | undefined): this {
    this.apiKey = key;
    return this;
  }

  setDimension(dimension: number): this {
    this.dimension = dimension;
    return this;
  }

  /** Forgets recorded requests and programmed behaviour (the API key requirement stays). */
  reset(): this {
    this.requests.length = 0;
    this.failures = [];
    this.delayMs = 0;
    this.replyFn = () => "Réponse de test tirée du passage [1].";
    return this;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions"));
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith("/embeddings"));
  }

  /** Every text sent for embedding, in order. */
  embeddedInputs(): string[] {
    return this.embeddingRequests().flatMap((r) => {
      const input = r.body?.input;
      return Array.isArray(input) ? input.map(String) : input === undefined ? [] : [String(input)];
    });
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    this.requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });

    if (this.delayMs > 0) {
      const closed = await this.wait(this.delayMs, res);
      if (closed) return;
    }
    if (this.apiKey !== undefined) {
      const auth = req.headers.authorization;
      if (!auth)
        return sendError(
          res,
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          "invalid_request_error",
          "missing_api_key",
        );
      if (auth !== `Bearer ${this.apiKey}`) return sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const failure = this.failures.shift();
    if (failure) return sendError(res, failure.status, failure.message, failure.status >= 500 ? "server_error" : "invalid_request_error");

    if (req.method !== "POST") return sendError(res, 405, `Method ${req.method} not allowed.`, "invalid_request_error");
    if (raw && body === undefined) return sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
    if (path === "/v1/embeddings") return this.embeddings(body, res);
    if (path === "/v1/chat/completions") return this.chat(body, res);
    return sendError(res, 404, `Invalid URL (POST ${path})`, "invalid_request_error");
  }

  private embeddings(body: any, res: ServerResponse): void {
    if (!body || typeof body.model !== "string" || !body.model) {
      sendError(res, 400, "you must provide a model parameter", "invalid_request_error", null, "model");
      return;
    }
    const input: unknown = body.input;
    const texts = typeof input === "string" ? [input] : Array.isArray(input) ? input.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : undefined;
    if (!texts?.length || (typeof input === "string" && !input)) {
      sendError(res, 400, "'input' is a required property and must be a non-empty string or array", "invalid_request_error", null, "input");
      return;
    }
    const dimension = typeof body.dimensions === "number" && body.dimensions > 0 ? body.dimensions : this.dimension;
    const base64 = body.encoding_format === "base64";
    const data = texts.map((text, index) => {
      const vector = embedText(text, dimension);
      return { object: "embedding", index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector };
    });
    const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
    sendJson(res, 200, { object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private async chat(body: any, res: ServerResponse): Promise<void> {
    if (!body || typeof body.model !== "string" || !body.model) return sendError(res, 400, "you must provide a model parameter", "invalid_request_error", null, "model");
    if (!Array.isArray(body.messages) || !body.messages.length) return sendError(res, 400, "'messages' is a required property and must be a non-empty array", "invalid_request_error", null, "messages");
    const bad = (body.messages as unknown[]).findIndex((m) => !m || typeof (m as ChatMessage).role !== "string" || !["system", "developer", "user", "assistant", "tool"].includes((m as ChatMessage).role));
    if (bad >= 0) return sendError(res, 400, `Invalid value for 'messages[${bad}].role'.`, "invalid_request_error", null, `messages[${bad}].role`);

    const text = await this.replyFn(body as ChatBody);
    const id = `chatcmpl-${createHash("sha1").update(String(this.requests.length)).digest("hex").slice(0, 12)}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = (body.messages as ChatMessage[]).reduce((n, m) => n + countTokens(messageText(m)), 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: countTokens(text), total_tokens: promptTokens + countTokens(text) };

    if (body.stream !== true) {
      sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
        usage,
      });
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (delta: object, finish: string | null, extra: object = {}) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model: body.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });
    const write = (payload: object | string) => res.write(`data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`);
    write(chunk({ role: "assistant", content: "", refusal: null }, null));
    for (const piece of pieces(text, this.chunkSize)) {
      if (res.destroyed) return;
      write(chunk({ content: piece }, null));
      // Let the client see the stream arrive in several network reads.
      await new Promise((resolve) => setImmediate(resolve));
    }
    write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) write({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage });
    write("[DONE]");
    res.end();
  }

  /** Waits, unless the client goes away first (true then). */
  private wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off("close", onClose);
        resolve(false);
      }, ms);
      this.timers.add(timer);
      res.once("close", onClose);
    });
  }
}

/** The system prompt of a chat request. */
export function systemPrompt(body: ChatBody): string {
  return body.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map(messageText)
    .join("\n");
}

/** The last user message of a chat request. */
export function userMessage(body: ChatBody): string {
  const users = body.messages.filter((m) => m.role === "user");
  return users.length ? messageText(users[users.length - 1]!) : "";
}

/** The numbered passages (`[n] text`) of an answer prompt, by number. */
export function promptPassages(body: ChatBody): Map<number, string> {
  const out = new Map<number, string>();
  const text = systemPrompt(body);
  const marker = /^\[(\d+)\] /gm;
  const starts = [...text.matchAll(marker)];
  starts.forEach((m, i) => {
    const end = starts[i + 1]?.index ?? text.length;
    out.set(Number(m[1]), text.slice(m.index + m[0].length, end).trim());
  });
  return out;
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (Array.isArray(message.content)) return message.content.map((p) => p.text ?? "").join("");
  return "";
}

/** A deterministic unit vector from the words of a text (hashed bag of words), so similar texts are close. */
export function embedText(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  const tokens =
    text
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  for (const token of tokens.length ? tokens : [text]) {
    const hash = createHash("sha256").update(token).digest();
    const slot = hash.readUInt32LE(0) % dimension;
    vector[slot]! += hash[4]! & 1 ? 1 : -1;
  }
  if (!vector.some((v) => v !== 0)) vector[0] = 1;
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const payload = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null): void {
  sendJson(res, status, { error: { message, type, param, code } });
}
