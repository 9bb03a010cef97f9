/** Cutting formatted text into pieces that fit a channel's limits, formatting kept. */
import type { Span } from "../answer/reply.js";

/** Splits spans into runs of at most `max` characters, at spaces when possible, formatting kept. */
export function splitSpans(spans: Span[], max: number): Span[][] {
  const parts: Span[][] = [];
  let current: Span[] = [];
  let used = 0;
  for (const span of spans) {
    let rest = span.text;
    while (rest.length) {
      const room = max - used;
      if (rest.length <= room) {
        current.push({ ...span, text: rest });
        used += rest.length;
        break;
      }
      let cut = rest.lastIndexOf(" ", room);
      if (cut <= room / 2) cut = room;
      // Never cut a surrogate pair in two.
      if (cut > 0 && /[\uD800-\uDBFF]/.test(rest[cut - 1]!)) cut--;
      if (cut > 0) current.push({ ...span, text: rest.slice(0, cut) });
      parts.push(current);
      current = [];
      used = 0;
      rest = rest.slice(cut).trimStart();
    }
  }
  if (current.length) parts.push(current);
  return parts;
}
