/** A knowledge document as the rest of the system sees it, whatever file it came from. */
import type { ZodError } from "zod";
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

/** The first link among a document's sources (its `url`, else the `via` it was found through); undefined when none has one. */
export function sourceUrl(meta: FrontMatter): string | undefined {
  for (const source of meta.sources) if (source.url ?? source.via) return source.url ?? source.via;
  return undefined;
}

/** The first schema problem of a file, naming its field (`root` when the whole value is wrong), with a count of the others. */
export function schemaError(path: string, error: ZodError, root: string): DocumentError {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : root;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return { path, field, message: `${field}: ${issue.message}${more}` };
}

/** The first line of a parser's message (YAML and PDF errors come with excerpts). */
export function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
