/**
 * Slack mrkdwn from the reply model's spans. Every user- or document-supplied string goes through `escapeMrkdwn`,
 * so `<!channel>`, `<@U123>` or a forged `<url|label>` are shown as text and never ping or link anyone.
 */
import type { Span } from "../../answer/reply.js";
import { wellFormed } from "../../shared/text.js";

/** Escapes the three characters Slack reserves for its control sequences (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link `<url|label>` (label escaped) for web addresses; the escaped label alone otherwise. */
export function link(label: string, url: string | undefined): string {
  const safeUrl = url && /^https?:\/\/[^\s<>|]+$/.test(url) ? url : undefined;
  // The URL has no `|`, `<`, `>` or space, so the label (escaped) cannot end the link early.
  return safeUrl ? `<${safeUrl}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** Wraps text in a mrkdwn marker (`*`, `_`), keeping outer spaces outside it (Slack ignores `* bold*`). */
export function mark(marker: "*" | "_", text: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return match[2] ? `${match[1]}${marker}${match[2]}${marker}${match[3]}` : text;
}

/** Spans as mrkdwn: escaped text, bold and italic, web links. */
export function spansMrkdwn(spans: Span[]): string {
  return spans
    .map((span) => {
      let piece = span.href && /^https?:\/\//.test(span.href) ? link(span.text, span.href) : escapeMrkdwn(span.text);
      if (span.italic) piece = mark("_", piece);
      if (span.bold) piece = mark("*", piece);
      return piece;
    })
    .join("");
}

/**
 * Text as the user typed it, from Slack's encoding of a message: entities decoded, links shown by their label,
 * mentions as `@id`, the app's own mention removed, lone surrogates replaced.
 */
export function slackTextToPlain(text: string, botUserId?: string): string {
  return wellFormed(text)
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const [target = "", label] = inner.split("|");
      if (botUserId && target === `@${botUserId}`) return " ";
      if (target.startsWith("@") || target.startsWith("#")) return label ? `${target[0]}${label}` : target;
      if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
      return label ?? target;
    })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
