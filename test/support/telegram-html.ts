/**
 * Message text handling of the Telegram Bot API, for the FakeTelegram test server.
 *
 * `parseHtml` is a port of tdlib's `parse_html` (td/telegram/MessageEntity.cpp): same tag set, same
 * attribute rules, same entity decoding and the same error texts ("Unsupported start tag \"x\" at byte
 * offset N", ...), with byte offsets into the UTF-8 input and entity offsets in UTF-16 code units.
 * `finishText` follows tdlib's `fix_formatted_text`: control characters, trimming of spaces and line
 * feeds, invalid nesting, automatic entities (commands, mentions, hashtags, URLs, e-mails) and the
 * re-splitting of bold/italic/... entities around them.
 *
 * Strict HTML (the default of the fake) also rejects what the Bot API documentation forbids but tdlib
 * tolerates: a raw `&` or `>`, entities other than &lt; &gt; &amp; &quot; and numeric ones, or an entity
 * without its `;`. Real Telegram keeps those as literal text; pass `strict = false` to behave like it.
 */

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: { id: number; is_bot: boolean; first_name: string };
}

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** A 400 answer; `description` is the whole Bot API text, "Bad Request: ...". */
export class BadRequest extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = "BadRequest";
  }
}

const badRequest = (what: string) => new BadRequest(`Bad Request: ${what}`);
const cantParse = (reason: string) => badRequest(`can't parse entities: ${reason}`);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const TAGS = new Set("a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote".split(" "));
const NAMED: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };
const TAG_TYPES: Record<string, string> = {
  i: "italic",
  em: "italic",
  b: "bold",
  strong: "bold",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  u: "underline",
  ins: "underline",
  "tg-spoiler": "spoiler",
  span: "spoiler",
};
const SPLITTABLE = ["bold", "italic", "underline", "strikethrough", "spoiler"];
const QUOTES = new Set(["blockquote", "expandable_blockquote"]);
const PRE = new Set(["code", "pre"]);
const PRIORITY: Record<string, number> = {
  bold: 90,
  italic: 91,
  underline: 92,
  strikethrough: 93,
  spoiler: 94,
  custom_emoji: 99,
  code: 20,
  pre: 11,
  text_link: 49,
  text_mention: 49,
  blockquote: 0,
  expandable_blockquote: 0,
};
const USER_TYPES = new Set([...SPLITTABLE, ...QUOTES, ...PRE, "text_link", "text_mention", "custom_emoji"]);
const KNOWN_TYPES = new Set([...USER_TYPES, "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number"]);

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 0;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHex = (c: number) => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

export const codePointLength = (s: string): number => [...s].length;

function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** tdlib's decode_html_entity: named (lt, gt, amp, quot) or numeric; the `;` is optional there. */
function decodeEntity(at: (i: number) => number, pos: number): { code: number; end: number; closed: boolean } | undefined {
  let end = pos + 1;
  let code = 0;
  if (at(end) === 35) {
    end++;
    if (at(end) === 120) {
      end++;
      while (isHex(at(end))) code = code * 16 + parseInt(String.fromCharCode(at(end++)), 16);
    } else {
      while (isDigit(at(end))) code = code * 10 + at(end++) - 48;
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    let name = "";
    while (isAlpha(at(end))) name += String.fromCharCode(at(end++));
    code = NAMED[name] ?? 0;
    if (code === 0) return undefined;
  }
  const closed = at(end) === 59;
  return { code, end: closed ? end + 1 : end, closed };
}

/** Parses Telegram HTML into plain text and entities, or throws the Bot API's 400. */
export function parseHtml(html: string, strict = true): FormattedText {
  const b = encoder.encode(html);
  const n = b.length;
  const at = (i: number): number => (i < n ? b[i]! : 0);
  const str = (from: number, to: number) => decoder.decode(b.subarray(from, to));
  const out: number[] = [];
  const entities: Array<MessageEntity & { lang?: string }> = [];
  const stack: Array<{ tag: string; arg: string; offset: number; outPos: number }> = [];
  let utf16 = 0;
  let surrogate = false;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 38) {
      const d = decodeEntity(at, i);
      if (strict && !d?.closed) {
        const m = /^&#?[a-z0-9]*;?/i.exec(str(i, Math.min(n, i + 12)))![0];
        if (!d && m.length > 2 && m.endsWith(";")) throw cantParse(`Unsupported character entity "${m}" at byte offset ${i}`);
        throw cantParse(d ? `Character entity "${m}" must end with ";" at byte offset ${i}` : `Unescaped "&" at byte offset ${i}`);
      }
      if (d) {
        utf16 += d.code > 0xffff ? 2 : 1;
        if (d.code >= 0xd800 && d.code <= 0xdfff) surrogate = true;
        pushCodePoint(out, d.code);
        i = d.end - 1;
        continue;
      }
    }
    if (c !== 60) {
      if (strict && c === 62) throw cantParse(`Unescaped ">" at byte offset ${i}`);
      if ((c & 0xc0) !== 0x80) utf16 += c >= 0xf0 ? 2 : 1;
      out.push(c);
      continue;
    }
    const begin = i++;
    if (at(i) !== 47) {
      while (!isSpace(at(i)) && at(i) !== 62) i++;
      if (at(i) === 0) throw cantParse(`Unclosed start tag at byte offset ${begin}`);
      const tag = asciiLower(str(begin + 1, i));
      if (!TAGS.has(tag)) throw cantParse(`Unsupported start tag "${tag}" at byte offset ${begin}`);
      let arg = "";
      while (at(i) !== 62) {
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === 62) break;
        const nameBegin = i;
        while (!isSpace(at(i)) && ![61, 62, 47, 34, 39].includes(at(i))) i++;
        const attr = str(nameBegin, i);
        if (attr === "") throw cantParse(`Empty attribute name in the tag "${tag}" at byte offset ${begin}`);
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) !== 61) {
          if (at(i) === 0) throw cantParse(`Unclosed start tag "${tag}" at byte offset ${begin}`);
          if (tag === "blockquote" && attr === "expandable") arg = "1";
          continue;
        }
        i++;
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === 0) throw cantParse(`Unclosed start tag "${tag}" at byte offset ${begin}`);
        let value: string;
        if (at(i) !== 39 && at(i) !== 34) {
          const tokenBegin = i;
          while (isAlpha(at(i)) || isDigit(at(i)) || at(i) === 46 || at(i) === 45) i++;
          value = asciiLower(str(tokenBegin, i));
          if (!isSpace(at(i)) && at(i) !== 62) throw cantParse(`Unexpected end of name token at byte offset ${tokenBegin}`);
        } else {
          const quote = at(i++);
          const bytes: number[] = [];
          while (at(i) !== quote && at(i) !== 0) {
            const d = at(i) === 38 ? decodeEntity(at, i) : undefined;
            if (d) {
              pushCodePoint(bytes, d.code);
              i = d.end;
            } else bytes.push(at(i++));
          }
          if (at(i) === quote) i++;
          value = decoder.decode(Uint8Array.from(bytes));
        }
        if (at(i) === 0) throw cantParse(`Unclosed start tag at byte offset ${begin}`);
        if (tag === "a" && attr === "href") arg = value;
        else if (tag === "code" && attr === "class" && value.startsWith("language-")) arg = value.slice(9);
        else if (tag === "span" && attr === "class" && value.startsWith("tg-")) arg = value.slice(3);
        else if (tag === "tg-emoji" && attr === "emoji-id") arg = value;
        else if (tag === "blockquote" && attr === "expandable") arg = "1";
      }
      if (tag === "span" && arg !== "spoiler") throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
      stack.push({ tag, arg, offset: utf16, outPos: out.length });
      continue;
    }
    const top = stack.at(-1);
    if (!top) throw cantParse(`Unexpected end tag at byte offset ${begin}`);
    while (!isSpace(at(i)) && at(i) !== 62) i++;
    const endTag = asciiLower(str(begin + 2, i));
    while (isSpace(at(i)) && at(i) !== 0) i++;
    if (at(i) !== 62) throw cantParse(`Unclosed end tag at byte offset ${begin}`);
    if (endTag !== "" && endTag !== top.tag) {
      throw cantParse(`Unmatched end tag at byte offset ${begin}, expected "</${top.tag}>", found "</${endTag}>"`);
    }
    stack.pop();
    if (utf16 <= top.offset) continue;
    const span = { offset: top.offset, length: utf16 - top.offset };
    const last = entities.at(-1);
    const sameSpan = last !== undefined && last.offset === span.offset && last.length === span.length;
    const simple = TAG_TYPES[top.tag];
    if (simple) entities.push({ type: simple, ...span });
    else if (top.tag === "tg-emoji") {
      if (!/^-?\d+$/.test(top.arg) || BigInt(top.arg) === 0n || BigInt.asIntN(64, BigInt(top.arg)) !== BigInt(top.arg)) {
        throw cantParse("Invalid custom emoji identifier specified");
      }
      entities.push({ type: "custom_emoji", ...span, custom_emoji_id: String(BigInt(top.arg)) });
    } else if (top.tag === "a") {
      const url = top.arg !== "" ? top.arg : decoder.decode(Uint8Array.from(out.slice(top.outPos)));
      const userId = /^tg:\/\/user\?id=(\d+)$/i.exec(url)?.[1];
      const link = checkLink(url);
      if (userId) entities.push({ type: "text_mention", ...span, user: { id: Number(userId), is_bot: false, first_name: "" } });
      else if ("url" in link) entities.push({ type: "text_link", ...span, url: link.url });
    } else if (top.tag === "pre") {
      if (sameSpan && last.type === "code" && last.lang) Object.assign(last, { type: "pre", language: last.lang });
      else entities.push({ type: "pre", ...span });
    } else if (top.tag === "code") {
      if (sameSpan && last.type === "pre" && top.arg !== "") last.language = top.arg;
      else entities.push({ type: "code", ...span, lang: top.arg });
    } else entities.push({ type: top.arg ? "expandable_blockquote" : "blockquote", ...span });
  }
  const open = stack.at(-1);
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.tag}"`);
  if (surrogate) {
    throw cantParse("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units");
  }
  for (const e of entities) delete e.lang;
  return { text: decoder.decode(Uint8Array.from(out)), entities: sortEntities(entities) };
}

/** tdlib's LinkManager::check_link, simplified: http(s) with a dotted host, tg:// and ton://. */
function checkLink(link: string): { url: string } | { error: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(link)?.[1]?.toLowerCase();
  if (scheme === "tg" || scheme === "ton") {
    const rest = link.slice(scheme.length + 3);
    return /^[a-z0-9_-]+/i.test(rest) ? { url: `${scheme}://${rest}` } : { error: "Wrong tg URL" };
  }
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") return { error: "Unsupported URL protocol" };
  if (link === "") return { error: "URL host is empty" };
  if (/\s/.test(link)) return { error: "Wrong HTTP URL" };
  let parsed: URL;
  try {
    parsed = new URL(scheme ? link : `http://${link}`);
  } catch {
    return { error: "Wrong HTTP URL" };
  }
  if (parsed.hostname === "") return { error: "URL host is empty" };
  if (!parsed.hostname.includes(".") && !parsed.hostname.startsWith("[")) return { error: "Wrong HTTP URL" };
  const afterScheme = scheme ? link.slice(scheme.length + 3) : link;
  const restAt = afterScheme.search(/[/?#]/);
  const rest = restAt < 0 ? "" : afterScheme.slice(restAt);
  return { url: `${parsed.protocol}//${parsed.host}${rest.startsWith("/") ? rest : `/${rest}`}` };
}

function sortEntities<T extends MessageEntity>(list: T[]): T[] {
  const prio = (e: MessageEntity) => (e.type === "pre" && e.language ? 10 : (PRIORITY[e.type] ?? 50));
  return list.sort((a, b) => a.offset - b.offset || b.length - a.length || prio(a) - prio(b));
}

const end = (e: MessageEntity) => e.offset + e.length;
const intersects = (a: MessageEntity, b: MessageEntity) => a.offset < end(b) && b.offset < end(a);
const contains = (a: MessageEntity, b: MessageEntity) => a.offset <= b.offset && end(b) <= end(a);
const crosses = (a: MessageEntity, b: MessageEntity) => intersects(a, b) && !contains(a, b) && !contains(b, a);

/** tdlib's remove_intersecting_entities: keeps an entity only if it starts after the last kept one ends. */
function dropIntersecting(list: MessageEntity[]): MessageEntity[] {
  let lastEnd = 0;
  return sortEntities(list).filter((e) => {
    if (e.offset < lastEnd) return false;
    lastEnd = end(e);
    return true;
  });
}

/** Entities given as `entities` instead of a parse_mode (what grammY's `fmt` sends). */
function explicitEntities(text: string, input: unknown): MessageEntity[] {
  const list = jsonValue(input, "entities");
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest('field "entities" must be of type Array');
  const result: MessageEntity[] = [];
  for (const e of list as Array<Record<string, unknown>>) {
    const missing = (field: string) => badRequest(`can't parse MessageEntity: Can't find field "${field}"`);
    if (typeof e?.type !== "string" || !KNOWN_TYPES.has(e.type)) throw badRequest("can't parse MessageEntity: Unsupported type specified");
    const entity: MessageEntity = { type: e.type, offset: Number(e.offset), length: Number(e.length) };
    if (!Number.isInteger(entity.offset) || entity.offset < 0) throw badRequest(`receive an entity with incorrect offset ${String(e.offset)}`);
    if (!Number.isInteger(entity.length) || entity.length < 0) throw badRequest(`receive an entity with incorrect length ${String(e.length)}`);
    if (e.type === "text_link") {
      if (typeof e.url !== "string") throw missing("url");
      const link = checkLink(e.url);
      if ("error" in link) throw badRequest(`entity URL '${e.url}' is invalid: ${link.error}`);
      entity.url = link.url;
    }
    if (e.type === "text_mention") {
      if (typeof e.user !== "object" || e.user === null) throw missing("user");
      entity.user = e.user as MessageEntity["user"];
    }
    if (e.type === "custom_emoji") {
      if (e.custom_emoji_id === undefined) throw missing("custom_emoji_id");
      entity.custom_emoji_id = String(e.custom_emoji_id);
    }
    if (e.type === "pre" && typeof e.language === "string" && e.language !== "") entity.language = e.language;
    if (entity.length > 0 && USER_TYPES.has(entity.type)) result.push(entity);
  }
  for (const e of sortEntities(result)) {
    if (e.offset > text.length) throw badRequest(`entity begins after the end of the text at UTF-16 offset ${e.offset}`);
    if (end(e) > text.length) {
      throw badRequest(`entity beginning at UTF-16 offset ${e.offset} ends after the end of the text at UTF-16 offset ${end(e)}`);
    }
  }
  return result;
}

/** First stage of sendMessage/editMessageText text handling: presence, parse_mode, HTML or entities. */
export function prepareText(text: unknown, parseMode: unknown, entities: unknown, strictHtml: boolean): FormattedText {
  const raw = typeof text === "string" ? text : typeof text === "number" ? String(text) : "";
  if (raw === "") throw badRequest("message text is empty");
  const mode = typeof parseMode === "string" ? parseMode.toLowerCase() : "";
  if (mode === "html") return parseHtml(raw, strictHtml);
  if (mode === "markdownv2" || mode === "markdown") {
    throw cantParse(`${mode === "markdown" ? "Markdown" : "MarkdownV2"} not supported by fake`);
  }
  if (mode !== "" && mode !== "none") throw badRequest("unsupported parse_mode");
  return { text: raw, entities: explicitEntities(raw, entities) };
}

/** Second stage (tdlib's fix_formatted_text + the bot message length limit). */
export function finishText(input: FormattedText, maxLength: number): FormattedText {
  const map: number[] = [];
  let text = "";
  for (let i = 0; i < input.text.length; ) {
    const cp = input.text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    map[i] = map[i + 1] = text.length;
    if (cp === 13 || (cp >= 0x2028 && cp <= 0x202e) || cp === 0x333 || cp === 0x33f || cp === 0x30a) {
      // tdlib drops carriage returns, bidi/line separators and some combining vertical lines
    } else text += cp < 32 && cp !== 10 ? " " : String.fromCodePoint(cp);
    i += width;
  }
  map[input.text.length] = text.length;
  let entities = input.entities.map((e) => ({ ...e, offset: map[e.offset]!, length: map[end(e)]! - map[e.offset]! })).filter((e) => e.length > 0);

  const splittable = entities.filter((e) => SPLITTABLE.includes(e.type));
  const quotes = dropIntersecting(entities.filter((e) => QUOTES.has(e.type)));
  const continuous = dropIntersecting(entities.filter((e) => !SPLITTABLE.includes(e.type) && !QUOTES.has(e.type))).filter((e) => !quotes.some((q) => crosses(e, q)));
  const others = [...continuous, ...quotes];
  const invalid = others.length + splittable.length !== entities.length || splittable.some((s) => others.some((o) => crosses(s, o) || (PRE.has(o.type) && intersects(s, o) && !contains(s, o))));

  let last = text.length;
  while (last > 0 && (text[last - 1] === " " || text[last - 1] === "\n")) last--;
  if (last === 0) throw badRequest("text must be non-empty");
  text = text.slice(0, last);
  const clip = (list: MessageEntity[]) => list.filter((e) => e.offset < last).map((e) => ({ ...e, length: Math.min(end(e), last) - e.offset }));
  entities = sortEntities(clip([...others, ...splittable]));
  let first = 0;
  const firstEntity = entities[0]?.offset ?? text.length;
  while (first < firstEntity && (text[first] === " " || text[first] === "\n")) first++;
  text = text.slice(first);
  const shift = (list: MessageEntity[]) => clip(list).map((e) => ({ ...e, offset: e.offset - first }));
  if (codePointLength(text) > maxLength) throw badRequest("message is too long");

  const keptContinuous = shift(continuous);
  const keptQuotes = shift(quotes);
  const found = findEntities(text).filter((f) => !keptContinuous.some((c) => intersects(f, c)) && !keptQuotes.some((q) => crosses(f, q)));
  const all = [...keptContinuous, ...keptQuotes, ...found];
  const block = invalid || found.length > 0;
  return { text, entities: sortEntities([...all, ...resplit(shift(splittable), all, block, found.length > 0, text.length)]) };
}

/**
 * Bold/italic/... entities: overlapping or adjacent ones of a type merge; when tdlib re-splits them
 * (automatic entities were found, or the nesting was invalid) they are cut out of code/pre, and with
 * automatic entities also cut at every boundary of a non-splittable entity.
 */
function resplit(splittable: MessageEntity[], others: MessageEntity[], block: boolean, cut: boolean, len: number) {
  const blocked = new Uint8Array(len);
  const cuts = new Uint8Array(len + 1);
  for (const o of others) {
    if (cut) cuts[o.offset] = cuts[end(o)] = 1;
    if (block && PRE.has(o.type)) blocked.fill(1, o.offset, end(o));
  }
  const result: MessageEntity[] = [];
  for (const type of SPLITTABLE) {
    const cover = new Uint8Array(len);
    for (const e of splittable) if (e.type === type) cover.fill(1, e.offset, end(e));
    let start = -1;
    for (let p = 0; p <= len; p++) {
      const on = p < len && cover[p] === 1 && blocked[p] === 0;
      if (start >= 0 && (!on || cuts[p] === 1)) {
        result.push({ type, offset: start, length: p - start });
        start = -1;
      }
      if (on && start < 0) start = p;
    }
  }
  return result;
}

const WORD = /[\p{L}\p{Nd}\p{N}_]/u;
const HASHTAG_CHAR = /[\p{L}\p{Nd}_\u200c\u00b7\u0d80-\u0dff]/u;
const NAME_CHAR = /[A-Za-z0-9_]/;
const TLDS = "com|net|org|info|biz|io|co|me|dev|app|ai|eu|uk|de|fr|it|es|nl|be|ch|at|pl|ru|ua|us|ca|au|in|jp|cn|br|pt|se|no|fi|dk|cz|gr|ro|ie|tv|xyz|site|online|tech|edu|gov|int";
const SCHEME_URL = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>"]+/giu;
const EMAIL = new RegExp(`(?<![\\p{L}\\p{N}_.+%-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\\.)+(?:${TLDS})(?![\\p{L}\\p{N}_])`, "giu");
const BARE_URL = new RegExp(`(?<![\\p{L}\\p{N}_@./-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+(?:${TLDS})(?![\\p{L}\\p{N}_-])(?::\\d{1,5})?(?:[/?#][^\\s<>"]*)?`, "giu");

/**
 * Automatic entities as Telegram finds them (tdlib match_bot_commands / match_mentions / match_hashtags /
 * match_cashtags); URLs and e-mails are approximated: http(s):// links, and bare domains and addresses
 * only for a short list of common top-level domains.
 */
export function findEntities(text: string): MessageEntity[] {
  const before = (i: number) => (i <= 0 ? "" : String.fromCodePoint(text.codePointAt(i >= 2 && /[\udc00-\udfff]/.test(text[i - 1]!) ? i - 2 : i - 1)!));
  const after = (i: number) => (i >= text.length ? "" : String.fromCodePoint(text.codePointAt(i)!));
  const run = (i: number, re: RegExp) => {
    while (i < text.length && re.test(text[i]!)) i++;
    return i;
  };
  const found: MessageEntity[] = [];
  const add = (type: string, from: number, to: number) => found.push({ type, offset: from, length: to - from });
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "@" && !WORD.test(before(i))) {
      const stop = run(i + 1, NAME_CHAR);
      if (stop - i - 1 >= 5 && stop - i - 1 <= 32 && !WORD.test(after(stop))) add("mention", i, stop);
    } else if (ch === "/" && !WORD.test(before(i)) && !"/<>".includes(before(i) || "x")) {
      let stop = run(i + 1, NAME_CHAR);
      if (stop - i - 1 < 1 || stop - i - 1 > 64) continue;
      if (text[stop] === "@") {
        const userEnd = run(stop + 1, NAME_CHAR);
        if (userEnd - stop - 1 < 3 || userEnd - stop - 1 > 32) continue;
        stop = userEnd;
      }
      const next = after(stop);
      if (!WORD.test(next) && !"/<>".includes(next || "x")) add("bot_command", i, stop);
    } else if (ch === "#" && !HASHTAG_CHAR.test(before(i))) {
      let j = i + 1;
      let cut = j;
      let count = 0;
      let letter = false;
      for (let c = after(j); c !== "" && HASHTAG_CHAR.test(c); c = after(j)) {
        j += c.length;
        if (count < 256) {
          count++;
          cut = j;
          letter ||= /\p{L}/u.test(c);
        }
      }
      if (count > 0 && text[j] !== "#" && letter) add("hashtag", i, cut);
    } else if (ch === "$" && !HASHTAG_CHAR.test(before(i)) && before(i) !== "$") {
      const stop = text.startsWith("1INCH", i + 1) ? i + 6 : run(i + 1, /[A-Z]/);
      const next = after(stop);
      if (stop - i - 1 >= 1 && stop - i - 1 <= 8 && !HASHTAG_CHAR.test(next) && next !== "$") add("cashtag", i, stop);
    }
  }
  for (const [re, type] of [
    [SCHEME_URL, "url"],
    [EMAIL, "email"],
    [BARE_URL, "url"],
  ] as const) {
    for (const m of text.matchAll(re)) {
      let value = m[0].replace(/[.,:;!?'"]+$/, "");
      while (value.endsWith(")") && value.split("(").length < value.split(")").length) value = value.slice(0, -1);
      const at = m.index ?? 0;
      add(type, at, at + value.length);
    }
  }
  return dropIntersecting(found);
}

// ---- other message content rules (reply_markup, setMyCommands) ----

/** Telegram accepts objects and arrays JSON-serialized in a string (form bodies always send them so). */
export const jsonValue = (value: unknown, what: string): any => {
  if (typeof value !== "string") return value;
  const parsed = tryJson(value);
  if (parsed === undefined) throw badRequest(`can't parse ${what} JSON object`);
  return parsed;
};

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface BotCommand {
  command: string;
  description: string;
}

export function checkCommands(list: unknown): BotCommand[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw badRequest('field "commands" must be of type Array');
  if (list.length > 100) throw badRequest("BOT_COMMANDS_TOO_MUCH");
  return list.map((c: any) => {
    for (const field of ["command", "description"]) {
      if (c?.[field] === undefined) throw badRequest(`can't parse BotCommand: Can't find field "${field}"`);
      if (typeof c[field] !== "string") throw badRequest(`can't parse BotCommand: Field "${field}" must be of type String`);
    }
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID");
    if (c.description.trim() === "") throw badRequest("command description must be non-empty");
    if (codePointLength(c.description) > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command: c.command, description: c.description };
  });
}

/** Validates reply_markup; returns what the sent message carries (only a non-empty inline keyboard). */
export function checkReplyMarkup(input: unknown): any {
  const markup = jsonValue(input, "reply keyboard markup");
  if (markup === undefined || markup === null || markup.inline_keyboard === undefined) return undefined;
  if (!Array.isArray(markup.inline_keyboard)) throw badRequest('field "inline_keyboard" must be of type Array');
  const fail = (why: string) => badRequest(`can't parse inline keyboard button: ${why}`);
  for (const row of markup.inline_keyboard) {
    if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" must be an Array of Arrays');
    for (const button of row) {
      if (typeof button !== "object" || button === null) throw fail("expected an Object");
      if (button.text === undefined) throw fail('Can\'t find field "text"');
      if (typeof button.text !== "string") throw fail('Field "text" must be of type String');
      const kinds = ["url", "callback_data", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"].filter(
        (k) => button[k] !== undefined && !((k === "url" || k === "callback_data") && button[k] === ""),
      );
      if (kinds.length === 0) throw fail("Text buttons are unallowed in the inline keyboard");
      if (kinds.length > 1) throw fail(`a button must have exactly one of ${kinds.join(", ")} (fake: Telegram would silently use one)`);
      if (button.callback_data !== undefined && typeof button.callback_data !== "string") throw fail('Field "callback_data" must be of type String');
      if (kinds[0] === "callback_data" && Buffer.byteLength(button.callback_data, "utf8") > 64) throw badRequest("BUTTON_DATA_INVALID");
      if (kinds[0] === "url") {
        const link = checkLink(String(button.url));
        if ("error" in link) throw badRequest(`inline keyboard button URL '${button.url}' is invalid: ${link.error}`);
      }
      if (kinds[0] === "web_app" && !/^https:\/\//i.test(String(button.web_app?.url ?? ""))) {
        throw badRequest(`inline keyboard button Web App URL '${button.web_app?.url ?? ""}' is invalid: Only HTTPS links are allowed`);
      }
      const copy = button.copy_text?.text;
      if (kinds[0] === "copy_text" && (typeof copy !== "string" || copy === "" || codePointLength(copy) > 256)) throw badRequest("BUTTON_COPY_TEXT_INVALID");
    }
  }
  return markup.inline_keyboard.length ? { inline_keyboard: structuredClone(markup.inline_keyboard) } : undefined;
}
