/** A language model that writes answers from retrieved passages (optional). */
import type { Lang } from "../knowledge/vocabulary.js";
import type { SearchResult } from "../retrieval/knowledge-index.js";
import type { ConversationTurn } from "./conversation.js";
import type { Draft } from "./extractive.js";

export interface Generator {
  /** A grounded answer citing the passages by number; throws on timeout or model error. */
  answer(search: SearchResult, lang: Lang): Promise<Draft>;
  /** Rewrites a follow-up as a standalone question, given the conversation so far. */
  condense(turns: ConversationTurn[], question: string, lang: Lang): Promise<string>;
}
