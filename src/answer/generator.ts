/** A language model that writes answers from retrieved passages (optional). */
import type { Lang } from "../shared/lang.js";
import type { SearchResult } from "../retrieval/knowledge-index.js";
import type { ConversationTurn } from "./conversation.js";
import type { Draft } from "./extractive.js";

export interface Generator {
  /** A grounded answer citing the passages by number; throws on timeout or model error. */
  answer(search: SearchResult, lang: Lang): Promise<Draft>;
  /**
   * Rewrites a message as one standalone question in the kit's terms, read with the conversation so far
   * (`turns`, possibly empty); returns the message unchanged when the model's output is unusable.
   */
  rewrite(turns: ConversationTurn[], question: string, lang: Lang): Promise<string>;
}
