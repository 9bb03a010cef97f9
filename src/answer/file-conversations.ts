/** Conversation state in files, so `terrinclus ask --conversation` keeps context between runs without Redis. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Lang } from "../shared/lang.js";
import { slugify } from "../shared/text.js";
import { emptyConversation, parseConversation, withLanguage, withTurn, type ConversationState, type ConversationStore, type ConversationTurn } from "./conversation.js";
import type { Citation } from "./reply.js";

/** One file per conversation; a command-line run is one process, so a read then a write is safe here. */
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
      const saved = JSON.parse(await readFile(this.file(conversationId), "utf8")) as { expires?: unknown; state?: unknown };
      return typeof saved.expires === "number" && saved.expires > Date.now() ? parseConversation(JSON.stringify(saved.state)) : emptyConversation();
    } catch {
      return emptyConversation();
    }
  }

  async addTurn(conversationId: string, turn: ConversationTurn, citations: Citation[]): Promise<void> {
    await this.put(conversationId, withTurn(await this.get(conversationId), turn, citations));
  }

  async setLanguage(conversationId: string, lang: Lang | undefined): Promise<void> {
    await this.put(conversationId, withLanguage(await this.get(conversationId), lang));
  }

  private async put(conversationId: string, state: ConversationState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.file(conversationId), JSON.stringify({ expires: Date.now() + this.ttlSeconds * 1000, state }));
  }
}
