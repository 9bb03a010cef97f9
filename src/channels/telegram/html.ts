/** Telegram HTML: escaping, spans to markup, and lengths as Telegram counts them (text after parsing). */
import type { Span } from "../../answer/reply.js";

/** Text safe inside Telegram HTML (`&`, `<`, `>` escaped; not for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

/** A piece of a message: its markup and the length of its visible text in UTF-16 units. */
export interface Fragment {
  html: string;
  length: number;
}

/** Plain text, escaped. */
export function textFragment(text: string): Fragment {
  return { html: escapeHtml(text), length: text.length };
}

/** Spans as markup: bold, italic, and links for http(s) addresses only (any other link stays plain text). */
export function spansFragment(spans: Span[]): Fragment {
  let html = "";
  let length = 0;
  for (const span of spans) {
    let piece = escapeHtml(span.text);
    if (span.href && /^https?:\/\//.test(span.href)) piece = `<a href="${escapeAttribute(span.href)}">${piece}</a>`;
    if (span.italic) piece = `<i>${piece}</i>`;
    if (span.bold) piece = `<b>${piece}</b>`;
    html += piece;
    length += span.text.length;
  }
  return { html, length };
}

/** Fragments one after another, with the (escaped) separator between them counted in the length. */
export function join(fragments: Fragment[], separator = ""): Fragment {
  return {
    html: fragments.map((f) => f.html).join(escapeHtml(separator)),
    length: fragments.reduce((n, f) => n + f.length, 0) + separator.length * Math.max(0, fragments.length - 1),
  };
}

/** A fragment in bold or italic; its visible length is unchanged. */
export function wrap(tag: "b" | "i", inner: Fragment): Fragment {
  return { html: `<${tag}>${inner.html}</${tag}>`, length: inner.length };
}

export { splitSpans } from "../split-spans.js";
