/** A knowledge document as the rest of the system sees it, whatever file it came from. */
import type { FrontMatter } from "./schema.js";

export type SourceFormat = "markdown" | "text" | "pdf";

export interface KnowledgeDocument {
  /** Path relative to the knowledge directory, with forward slashes. */
  path: string;
  /** sha256 of the file's bytes: what incremental ingestion compares. */
  hash: string;
  format: SourceFormat;
  meta: FrontMatter;
  /** Markdown body (front matter removed). PDFs become one `## p. N` section per page. */
  body: string;
}

/** A file that could not be read as a knowledge document, and why. */
export interface DocumentError {
  path: string;
  /** The front-matter field at fault, when there is one. */
  field?: string;
  message: string;
}

export function sourceUrl(meta: FrontMatter): string | undefined {
  for (const source of meta.sources) if (source.url ?? source.via) return source.url ?? source.via;
  return undefined;
}
