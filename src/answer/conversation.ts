/** Conversation state per chat, thread or console session: preferred language, recent turns, last sources. */
import type { Redis } from "ioredis";
import { z } from "zod";
import { LangSchema, type Lang } from "../shared/lang.js";
import type { Citation } from "./reply.js";

export interface ConversationTurn {
  question: string;
  /** The question as retrieval understood it, context of earlier turns included. */
  standalone: string;
  answerId: string;
  lang: Lang;
  answered: boolean;
  docIds: string[];
  at: number;
}

export interface ConversationState {
  /** Language the user asked for (/lang); otherwise each question's own language is used. */
  preferredLang?: Lang;
  turns: ConversationTurn[];
  lastCitations: Citation[];
}

/**
 * Where conversations live. Changes are single operations, never a read then a write by the caller, so that two
 * messages of one conversation handled at once (a Slack thread, several bot instances) lose nothing.
 */
export interface ConversationStore {
  get(conversationId: string): Promise<ConversationState>;
  /** Appends a turn (keeping the last `MAX_TURNS`) and makes `citations` the conversation's last sources. */
  addTurn(conversationId: string, turn: ConversationTurn, citations: Citation[]): Promise<void>;
  /** Sets or, with undefined, clears the preferred language. */
  setLanguage(conversationId: string, lang: Lang | undefined): Promise<void>;
}

/** Turns kept per conversation: enough for follow-ups, small enough to stay cheap. */
export const MAX_TURNS = 6;

/** A new conversation: no preferred language, no turns, no sources. */
export function emptyConversation(): ConversationState {
  return { turns: [], lastCitations: [] };
}

// Redis's Lua JSON encoder writes an empty array as {}: read either as an empty list.
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length ? [] : v), z.array(item));

const TurnSchema = z.object({
  question: z.string(),
  standalone: z.string(),
  answerId: z.string(),
  lang: LangSchema,
  answered: z.boolean(),
  docIds: list(z.string()),
  at: z.number(),
});
const CitationSchema = z.object({
  n: z.number(),
  id: z.string(),
  lang: LangSchema,
  kind: z.enum(["kit", "case", "document"]),
  title: z.string(),
  section: z.string(),
  url: z.string().optional(),
});
const StateSchema = z.object({ preferredLang: LangSchema.optional(), turns: list(TurnSchema).default([]), lastCitations: list(CitationSchema).default([]) });

/** A stored state read back: validated, and empty when unreadable (corrupt or from another version). */
export function parseConversation(raw: string | undefined | null): ConversationState {
  if (!raw) return emptyConversation();
  try {
    const parsed = StateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as ConversationState) : emptyConversation();
  } catch {
    return emptyConversation();
  }
}

/** The state after a turn: the turn appended, the oldest dropped beyond `MAX_TURNS`, the last sources replaced. */
export function withTurn(state: ConversationState, turn: ConversationTurn, citations: Citation[]): ConversationState {
  return { ...state, turns: [...state.turns, turn].slice(-MAX_TURNS), lastCitations: citations };
}

/** The state with `lang` as its preferred language, or without one when `lang` is undefined. */
export function withLanguage(state: ConversationState, lang: Lang | undefined): ConversationState {
  const { preferredLang: _previous, ...rest } = state;
  return lang ? { ...rest, preferredLang: lang } : rest;
}

/** In-process store for the console when there is no Redis. */
export class MemoryConversationStore implements ConversationStore {
  private readonly states = new Map<string, { state: ConversationState; expires: number }>();

  constructor(private readonly ttlSeconds: number) {}

  async get(conversationId: string): Promise<ConversationState> {
    const entry = this.states.get(conversationId);
    if (!entry || entry.expires < Date.now()) return emptyConversation();
    return structuredClone(entry.state);
  }

  async addTurn(conversationId: string, turn: ConversationTurn, citations: Citation[]): Promise<void> {
    this.put(conversationId, withTurn(await this.get(conversationId), turn, citations));
  }

  async setLanguage(conversationId: string, lang: Lang | undefined): Promise<void> {
    this.put(conversationId, withLanguage(await this.get(conversationId), lang));
  }

  private put(conversationId: string, state: ConversationState): void {
    this.states.set(conversationId, { state: structuredClone(state), expires: Date.now() + this.ttlSeconds * 1000 });
  }
}

/**
 * Changes the stored state in one step on the server (KEYS[1]; ARGV[1]: ttl; ARGV[2]: "turn" or "lang").
 * "turn": ARGV[3] turn, ARGV[4] citations, ARGV[5] max turns. "lang": ARGV[3] "fr", "en" or "" to clear.
 */
const CHANGE = `
local state = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' then state = decoded end
end
if ARGV[2] == 'turn' then
  if type(state.turns) ~= 'table' then state.turns = {} end
  table.insert(state.turns, cjson.decode(ARGV[3]))
  while #state.turns > tonumber(ARGV[5]) do table.remove(state.turns, 1) end
  state.lastCitations = cjson.decode(ARGV[4])
elseif ARGV[3] == '' then
  state.preferredLang = nil
else
  state.preferredLang = ARGV[3]
end
redis.call('SET', KEYS[1], cjson.encode(state), 'EX', tonumber(ARGV[1]))
return 1`;

/**
 * Redis store shared by every bot instance; each conversation expires after `ttlSeconds` without activity.
 * Every change runs as one Lua script, so concurrent messages of one conversation never overwrite each other.
 */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = "terrinclus:conversation:",
  ) {}

  async get(conversationId: string): Promise<ConversationState> {
    return parseConversation(await this.redis.get(this.prefix + conversationId));
  }

  async addTurn(conversationId: string, turn: ConversationTurn, citations: Citation[]): Promise<void> {
    await this.redis.eval(CHANGE, 1, this.prefix + conversationId, this.ttlSeconds, "turn", JSON.stringify(turn), JSON.stringify(citations), MAX_TURNS);
  }

  async setLanguage(conversationId: string, lang: Lang | undefined): Promise<void> {
    await this.redis.eval(CHANGE, 1, this.prefix + conversationId, this.ttlSeconds, "lang", lang ?? "");
  }
}
