/** A retrievable passage of a knowledge document, with where it sits in that document. */
import type { DocumentKind, Source } from "../knowledge/schema.js";
import type { Lang } from "../shared/lang.js";

export interface ChunkMeta {
  /** `<doc id>.<lang>#<position>`: stable across runs while the document does not change. */
  chunkId: string;
  docId: string;
  lang: Lang;
  kind: DocumentKind;
  title: string;
  /** Heading path inside the document, below the title ("Étapes", "Sources › p. 12"); "" for the lead. */
  section: string;
  position: number;
  path: string;
  url?: string;
  /** Ids of the sheets and cases the document points to. */
  related: string[];
  /** The document's full source list; carried by the first passage only, to keep the store small. */
  sources?: Source[];
  /** The document's summary; carried by the first passage only. */
  summary?: string;
  /** Words users might type for this document (front matter). */
  keywords: string[];
  /** basis of the document: whether it states TERRINCLUS facts or general practice. */
  basis: Array<"terrinclus" | "practice">;
  country?: string[];
  themes?: string[];
  publics?: string[];
}

export interface Chunk extends ChunkMeta {
  /** Markdown text of the passage, structure kept (lists, numbering). */
  text: string;
}

/** The passage's context: document title, heading path and the document's keywords. */
export function headerText(chunk: ChunkMeta): string {
  return `${chunk.title}${chunk.section ? ` › ${chunk.section}` : ""}${chunk.keywords.length ? `\n${chunk.keywords.join(", ")}` : ""}`;
}

/** What the embedder sees: the passage with its context. */
export function indexedText(chunk: Chunk): string {
  return `${headerText(chunk)}\n${chunk.text}`;
}
