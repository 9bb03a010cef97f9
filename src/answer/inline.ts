/** Markdown inline syntax (bold, italic, links) of knowledge passages and model output → spans. */
import type { Span } from "./reply.js";

const TOKEN = /(\*\*|__)(.+?)\1|(?<![\p{L}\p{N}])([*_])(?![\s*_])(.+?)(?<![\s*_])\3(?![\p{L}\p{N}])|\[([^\]]+)\]\(([^)\s]+)\)|`([^`]+)`/gu;

/**
 * Parses inline Markdown. Links to other knowledge files (relative paths) keep only their text:
 * suggestions carry those relations. Anything else is literal text.
 */
export function parseInline(markdown: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of markdown.matchAll(TOKEN)) {
    if (m.index > last) push(spans, { text: markdown.slice(last, m.index) });
    if (m[2] !== undefined) for (const inner of parseInline(m[2])) push(spans, { ...inner, bold: true });
    else if (m[4] !== undefined) for (const inner of parseInline(m[4])) push(spans, { ...inner, italic: true });
    else if (m[5] !== undefined) push(spans, /^https?:\/\//.test(m[6]!) ? { text: m[5], href: m[6] } : { text: m[5] });
    else if (m[7] !== undefined) push(spans, { text: m[7] });
    last = m.index + m[0].length;
  }
  if (last < markdown.length) push(spans, { text: markdown.slice(last) });
  return spans;
}

/** Appends a span, merging it with the previous one when formatting is identical. */
function push(spans: Span[], span: Span): void {
  if (!span.text) return;
  const prev = spans[spans.length - 1];
  if (prev && !!prev.bold === !!span.bold && !!prev.italic === !!span.italic && prev.href === span.href) prev.text += span.text;
  else spans.push(span);
}
