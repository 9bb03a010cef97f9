/** Conversation state per chat, thread or console session: preferred language, recent turns, last sources. */
import type { Redis } from "ioredis";
import type { Lang } from "../knowledge/vocabulary.js";
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

export interface ConversationStore {
  get(conversationId: string): Promise<ConversationState>;
  set(conversationId: string, state: ConversationState): Promise<void>;
}

/** Turns kept per conversation: enough for follow-ups, small enough to stay cheap. */
export const MAX_TURNS = 6;

export function emptyConversation(): ConversationState {
  return { turns: [], lastCitations: [] };
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

  async set(conversationId: string, state: ConversationState): Promise<void> {
    this.states.set(conversationId, { state: structuredClone(state), expires: Date.now() + this.ttlSeconds * 1000 });
  }
}

/** Redis store shared by every bot instance; each conversation expires after `ttlSeconds` without activity. */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = "terrinclus:conversation:",
  ) {}

  async get(conversationId: string): Promise<ConversationState> {
    const raw = await this.redis.get(this.prefix + conversationId);
    if (!raw) return emptyConversation();
    try {
      return { ...emptyConversation(), ...(JSON.parse(raw) as ConversationState) };
    } catch {
      return emptyConversation();
    }
  }

  async set(conversationId: string, state: ConversationState): Promise<void> {
    await this.redis.set(this.prefix + conversationId, JSON.stringify({ ...state, turns: state.turns.slice(-MAX_TURNS) }), "EX", this.ttlSeconds);
  }
}
