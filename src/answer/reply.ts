/**
 * The one reply model every channel renders (console, Telegram, Slack). Channels never parse free text:
 * the parts of an answer (lead, blocks, citations, suggestions) and inline formatting come structured.
 */
import type { DocumentKind } from "../knowledge/schema.js";
import type { Lang } from "../shared/lang.js";

/** A run of text with its inline formatting. */
export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  href?: string;
}

export type Block =
  | { type: "paragraph"; spans: Span[]; cites: number[] }
  | { type: "heading"; spans: Span[]; cites: number[] }
  /** `start`: number of the first step when a list continues one begun earlier in the sheet (absent: 1). */
  | { type: "steps"; items: Span[][]; cites: number[]; start?: number }
  | { type: "bullets"; items: Span[][]; cites: number[] }
  | { type: "note"; spans: Span[]; cites: number[] };

export interface Citation {
  /** The number the body uses ([1], [2]…). */
  n: number;
  id: string;
  lang: Lang;
  kind: DocumentKind;
  title: string;
  section: string;
  url?: string;
}

/** A retrieved document, best first: where to read more. */
export interface SourceRef {
  id: string;
  lang: Lang;
  title: string;
  kind: DocumentKind;
  section: string;
  score: number;
}

export type Suggestion = { type: "sheet"; id: string; label: string } | { type: "case"; id: string; label: string } | { type: "question"; label: string };

/**
 * What a reply offers one tap away. Channels render these as buttons (Telegram, Slack) or commands (console);
 * the engine carries them out from the answer's id.
 */
export type Action =
  /** The rest of the quoted section(s). */
  | { type: "more" }
  /** The full references of the cited documents. */
  | { type: "sources" }
  /** Another section of the main document (`index` in its list of sections). */
  | { type: "section"; index: number; label: string }
  /** Documented cooperations close to the question. */
  | { type: "similar" }
  | { type: "feedback"; useful: boolean };

export interface Reply {
  answerId: string;
  question: string;
  lang: Lang;
  answered: boolean;
  /** How the body was made. */
  mode: "extractive" | "generative" | "refusal";
  /** The direct answer, one or two sentences, then `body` supports it. */
  lead: Span[];
  /** Citations of the lead ([] when it cites nothing: a refusal, or the kit does not state what was asked). */
  leadCites: number[];
  body: Block[];
  citations: Citation[];
  sources: SourceRef[];
  suggestions: Suggestion[];
  /** Short notices: only in the other language, model unavailable, general practice… */
  notes: string[];
  actions: Action[];
}

/** Text as one unformatted span; no span for an empty text. */
export function plain(text: string): Span[] {
  return text ? [{ text }] : [];
}

/** Plain text of spans (for JSON `answer` strings, logs and length budgets). */
export function spansText(spans: Span[]): string {
  return spans.map((s) => s.text).join("");
}
