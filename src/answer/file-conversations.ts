/** Conversation state in files, so `terrinclus ask --conversation` keeps context between runs without Redis. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { slugify } from "../shared/text.js";
import { MAX_TURNS, emptyConversation, type ConversationState, type ConversationStore } from "./conversation.js";

export class FileConversationStore implements ConversationStore {
  constructor(
    private readonly dir: string,
    private readonly ttlSeconds: number,
  ) {}

  private file(conversationId: string): string {
    return path.join(this.dir, `${slugify(conversationId)}.json`);
  }

  async get(conversationId: string): Promise<ConversationState> {
    try {
      const saved = JSON.parse(await readFile(this.file(conversationId), "utf8")) as { expires: number; state: ConversationState };
      return saved.expires > Date.now() ? { ...emptyConversation(), ...saved.state } : emptyConversation();
    } catch {
      return emptyConversation();
    }
  }

  async set(conversationId: string, state: ConversationState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const saved = { expires: Date.now() + this.ttlSeconds * 1000, state: { ...state, turns: state.turns.slice(-MAX_TURNS) } };
    await writeFile(this.file(conversationId), JSON.stringify(saved));
  }
}
