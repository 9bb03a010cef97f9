/**
 * Hostile inputs for fuzzing the channels, from a seeded generator (the same seed gives the same cases): markup of
 * both platforms, control characters, NUL, lone surrogates, right-to-left marks, emoji, empty and huge texts,
 * forged button data, unknown users and chats, commands with odd arguments. Plain data: the fuzz harness turns each
 * case into a Telegram update or a signed Slack request.
 */

/** A seeded pseudo-random generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (random: Random, p: number) => random() < p;

const FRAGMENTS = [
  // Telegram HTML and Markdown(V2)
  "<b>",
  "</b>",
  "<i>x</i>",
  '<a href="javascript:alert(1)">lien</a>',
  "<script>alert(1)</script>",
  '<pre><code class="language-js">',
  "</code>",
  "<tg-spoiler>",
  "<blockquote expandable>",
  '<tg-emoji emoji-id="1">👍</tg-emoji>',
  "&",
  "&amp;",
  "&lt;",
  "&gt;",
  "&#0;",
  "&#55357;",
  "&nbsp;",
  "&unknown;",
  "<",
  ">",
  '"',
  "'",
  "*gras*",
  "_italique_",
  "__souligné__",
  "~barré~",
  "||spoiler||",
  "`code`",
  "```js\nx = 1\n```",
  "[lien](http://example.org)",
  "\\",
  "\\*",
  // Slack mrkdwn and control sequences
  "<!channel>",
  "<!here|here>",
  "<!everyone>",
  "<@U0AWA>",
  "<@UBOT>",
  "<#C0GENERAL|general>",
  "<http://evil.example|cliquez ici>",
  "<mailto:a@b.c|écrire>",
  "<!subteam^S123|@team>",
  "<!date^1392734382^{date}|Feb 18>",
  "&gt; citation",
  ">>> bloc",
  ":smile:",
  ":skin-tone-2:",
  // Control characters, NUL, odd Unicode
  "\u0000",
  "\u0001",
  "\u0007",
  "\u0008",
  "\u000b",
  "\u000c",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u00ad",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ufffd",
  "\uffff",
  "\r\n",
  "\t",
  "\n\n\n",
  "\ud800",
  "\udfff",
  "\ud83d",
  "\ude00x",
  "\u202e",
  "\u200f",
  "\u2066",
  "\u2069",
  "مرحبا، كيف نبني تشخيصا مشتركا؟",
  "שלום",
  "ไทย",
  "中文问题",
  "👍🏽",
  "👨‍👩‍👧‍👦",
  "🇫🇷",
  "🏳️‍🌈",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "𝕋𝕖𝕣𝕣𝕚𝕟𝕔𝕝𝕦𝕤",
  // Entities and things that look like them
  "@terrinclus_bot",
  "@autre_bot",
  "/ask@terrinclus_bot",
  "#hashtag",
  "$EUR",
  "http://a.example/c?d=<e>&f=g",
  "https://t.me/+abc",
  "awa@example.org",
  "+33 6 12 34 56 78",
  // Odd values
  "-1",
  "1e308",
  "NaN",
  "__proto__",
  "constructor",
  "toString",
  "\u0024{process.exit()}",
  "%s%n%x",
  "../../etc/passwd",
  "'; DROP TABLE users; --",
  "null",
  "undefined",
  "{}",
  "[]",
  // Real question material, so that retrieval answers some of them
  "comment constituer un comité de pilotage ?",
  "diagnostic partagé",
  "How do we fund a cooperation?",
  "évaluation conjointe",
  "cadre juridique L1115-1",
  "Maroc",
  "capitalisation",
  "protection de l'enfance",
  "what is the FICOL?",
  "combien de temps dure un projet ?",
  "et qui doit y participer ?",
] as const;

const BIG_UNITS = ["a", "&", "<", "*", "_", "é", "👍", "\u0000", "<b>", "&amp;", "\ud800", "x ", "comité de pilotage "];

/** A hostile text: empty, blank, short, long, at a platform's size limit, or huge (`hugeChars`). */
export function hostileText(random: Random, options: { limit: number; hugeChars?: number }): string {
  const r = random();
  if (r < 0.04) return "";
  if (r < 0.07) return pick(random, [" ", "\n", "\t \n", "\u200b", "\u0000", "\ufeff"]);
  if (r < 0.1)
    return pick(random, BIG_UNITS)
      .repeat(Math.ceil(options.limit / 2))
      .slice(0, options.limit);
  if (r < 0.12 && options.hugeChars) return pick(random, BIG_UNITS).repeat(options.hugeChars);
  const pieces = r < 0.8 ? 1 + Math.floor(random() * 6) : 20 + Math.floor(random() * 60);
  const parts = Array.from({ length: pieces }, () => pick(random, FRAGMENTS));
  return parts.join(chance(random, 0.5) ? " " : "");
}

/** What the generator knows of the running bots: real answer ids (from a genuine question) and the test plan. */
export interface FuzzContext {
  answerIds: string[];
  /** Milestone ids and refs of the plan the fuzzed chats may belong to. */
  milestoneIds: string[];
  milestoneRefs: string[];
}

/** Forged button data: well-formed with unknown or real answer ids, out-of-range sections, garbage, oversized. */
function forgedActionPayloads(random: Random, context: FuzzContext): Array<Record<string, unknown> | string> {
  const answerId = chance(random, 0.5) && context.answerIds.length ? pick(random, context.answerIds) : pick(random, ["AAAAAAAA", "zzzzzz", "x".repeat(24), "../etc", "", "a"]);
  return [
    { action: "more", answerId },
    { action: "sources", answerId },
    { action: "similar", answerId },
    { action: "feedback", useful: chance(random, 0.5), answerId },
    { action: "section", index: pick(random, [0, 1, 7, 42, 99, 100, -1, 1.5]), answerId },
    { action: pick(random, ["delete", "__proto__", "MORE", ""]), answerId },
    { action: "feedback", useful: "yes", answerId },
    hostileText(random, { limit: 60 }),
    "{",
    "null",
    "[]",
    '"more"',
    "x".repeat(2500),
  ];
}

/** Telegram callback data for a forged payload (the bot's own compact format, or anything else). */
function telegramData(random: Random, payload: Record<string, unknown> | string, context: FuzzContext): string {
  if (typeof payload === "string") return payload;
  const id = String(payload.answerId);
  const ref = pick(random, [...context.milestoneRefs, "AAAAAAAAAAAA", "x", "../../", "a".repeat(41)]);
  return pick(random, [
    `more:${id}`,
    `src:${id}`,
    `sim:${id}`,
    `fb:${random() < 0.5 ? 1 : 2}:${id}`,
    `sec:${String(payload.index)}:${id}`,
    `sec:${id}`,
    `ms:d:${ref}`,
    `ms:s1:${ref}`,
    `ms:s7:${ref}`,
    `ms:x:${ref}`,
    `ms:d:${ref}:extra`,
    "",
    ":",
    "::::",
    JSON.stringify(payload),
    `more:${id}`.repeat(5),
  ]);
}

const COMMANDS = ["ask", "similar", "lang", "sources", "milestones", "jalons", "done", "fait", "snooze", "reporter", "start", "help", "inconnue", "ASK", "settings"];

function commandArgs(random: Random, context: FuzzContext): string {
  const milestone = pick(random, [...context.milestoneIds, ...context.milestoneRefs, "inconnu", "exemple/diagnostic", "a/b/c", ""]);
  return pick(random, [
    "",
    " ",
    milestone,
    `${milestone} ${pick(random, ["1d", "1w", "2d", "0d", "-1d", "99y", "1D", "1 w", "P1D", hostileText(random, { limit: 20 })])}`,
    "fr",
    "en",
    "xx",
    "FR",
    hostileText(random, { limit: 200 }),
    `${milestone} ${hostileText(random, { limit: 30 })}`,
  ]);
}

export type TelegramChatKind = "private" | "group" | "plan-group";

export interface TelegramUserSpec {
  id: number;
  first_name: string;
  language_code?: string;
  username?: string;
}

/** One hostile Telegram input. */
export type TelegramCase =
  | { kind: "text"; chat: TelegramChatKind; chatId: number; user: TelegramUserSpec; text: string; mention: boolean; replyToBot: boolean; anonymousAdmin: boolean }
  | { kind: "caption"; chat: TelegramChatKind; chatId: number; user: TelegramUserSpec; caption: string }
  | { kind: "callback"; chat: TelegramChatKind; chatId: number; user: TelegramUserSpec; data: string; message: "answer" | "foreign" | "inaccessible" };

/** The Telegram chat id used for the plan's group (the harness puts it in the plan). */
export const TELEGRAM_PLAN_CHAT = -1_003_000_000_001;

function telegramUser(random: Random): TelegramUserSpec {
  const id = pick(random, [1, 777, 1087968824, 136817688, 9_007_199_254, 2 ** 31 - 1, 5_000_001 + Math.floor(random() * 40)]);
  const language = pick(random, ["fr", "en", "ar", "fr-CA", "", "x".repeat(40), undefined, undefined]);
  return {
    id,
    first_name: pick(random, ["Awa", "", "\u202eإكرام", "<b>Jo</b>", "👍", "\u0000"]),
    ...(language !== undefined ? { language_code: language } : {}),
    ...(chance(random, 0.3) ? { username: pick(random, ["awa_k", "x", "terrinclus_bot"]) } : {}),
  };
}

/** `count` hostile Telegram inputs (texts, commands, captions, button presses), deterministic for a seed. */
export function telegramCases(count: number, seed: number, context: FuzzContext): TelegramCase[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (): TelegramCase => {
    const user = telegramUser(random);
    const chat = pick(random, ["private", "private", "group", "plan-group"] as const);
    const chatId = chat === "private" ? user.id : chat === "plan-group" ? TELEGRAM_PLAN_CHAT : pick(random, [-1_003_000_000_002, -4_000_123, -1_003_999_999_999]);
    const r = random();
    if (r < 0.45) {
      return {
        kind: "text",
        chat,
        chatId,
        user,
        text: hostileText(random, { limit: 4096, hugeChars: 100_000 }),
        mention: chance(random, 0.6),
        replyToBot: chance(random, 0.2),
        anonymousAdmin: chat !== "private" && chance(random, 0.1),
      };
    }
    if (r < 0.72) {
      const name = pick(random, COMMANDS);
      const target = pick(random, ["", "", "@terrinclus_bot", "@autre_bot", "@TERRINCLUS_BOT"]);
      return { kind: "text", chat, chatId, user, text: `/${name}${target}${chance(random, 0.8) ? " " : ""}${commandArgs(random, context)}`, mention: false, replyToBot: false, anonymousAdmin: false };
    }
    if (r < 0.78) return { kind: "caption", chat, chatId, user, caption: hostileText(random, { limit: 1024 }) };
    const data = telegramData(random, pick(random, forgedActionPayloads(random, context)), context);
    return { kind: "callback", chat, chatId, user, data, message: pick(random, ["answer", "foreign", "inaccessible"] as const) };
  });
}

/** The Slack channel of the plan (the harness puts it in the plan). */
export const SLACK_PLAN_CHANNEL = "C0FUZZPLAN";

/** One hostile Slack input. */
export type SlackCase =
  | { kind: "event"; event: Record<string, unknown>; team?: string }
  | { kind: "command"; channel: string; user: string; text: string; team?: string }
  | { kind: "action"; channel?: string; user: string; actionId: string; value: unknown; threadTs?: string; team?: string | null }
  | { kind: "bad-signature"; event: Record<string, unknown> };

const SLACK_CHANNELS = ["C0FUZZ001", "C0FUZZ002", SLACK_PLAN_CHANNEL, "G0PRIVATE1", "D0FUZZDM1", "D0FUZZDM2", "C", "not-a-channel"];
const SLACK_USERS = ["U0AWA", "U0JOHN", "W0ENTERPRISE", "UBOT", "USLACKBOT", `U${"9".repeat(30)}`];

/** `count` hostile Slack inputs (events, slash commands, button presses, forged signatures), deterministic for a seed. */
export function slackCases(count: number, seed: number, context: FuzzContext & { botUserId: string; knownThread: { channel: string; ts: string } }): SlackCase[] {
  const random = seededRandom(seed);
  let clock = 1_700_000_000;
  const ts = () => `${clock++}.${String(Math.floor(random() * 1e6)).padStart(6, "0")}`;
  return Array.from({ length: count }, (): SlackCase => {
    const channel = pick(random, SLACK_CHANNELS);
    const user = pick(random, SLACK_USERS);
    const team = pick(random, [undefined, undefined, "T0OTHER", ""]);
    const text = hostileText(random, { limit: 40_000, hugeChars: 100_000 });
    const r = random();
    if (r < 0.2) {
      const direct = channel.startsWith("D");
      return { kind: "event", team, event: { type: "message", ...(direct ? { channel_type: "im" } : { channel_type: "channel" }), channel, user, text, ts: ts(), event_ts: "1" } };
    }
    if (r < 0.4) return { kind: "event", team, event: { type: "app_mention", channel, user, text: chance(random, 0.8) ? `<@${context.botUserId}> ${text}` : text, ts: ts(), event_ts: "1" } };
    if (r < 0.5) {
      const thread = chance(random, 0.5) ? context.knownThread : { channel, ts: ts() };
      return { kind: "event", team, event: { type: "message", channel_type: "channel", channel: thread.channel, user, text, ts: ts(), thread_ts: thread.ts, event_ts: "1" } };
    }
    if (r < 0.56) {
      const odd = pick(random, [
        { subtype: "bot_message", bot_id: "B0OTHER" },
        { subtype: "message_changed", message: { text } },
        { subtype: "file_share" },
        { subtype: "thread_broadcast" },
        { subtype: "channel_join" },
        { user: undefined },
        { text: 42 },
        { text: undefined },
        { channel: undefined },
        { ts: undefined },
        { user: context.botUserId },
        { bot_id: "BBOT" },
      ]);
      return { kind: "event", team, event: { type: pick(random, ["message", "app_mention"]), channel_type: channel.startsWith("D") ? "im" : "channel", channel, user, text, ts: ts(), event_ts: "1", ...odd } };
    }
    if (r < 0.78) {
      const head = pick(random, ["", "help", "aide", "?", "lang", "langue", "similar", "similaires", "milestones", "jalons", "done", "fait", "snooze", "reporter", "HELP", "Lang"]);
      const args = commandArgs(random, context);
      return { kind: "command", channel, user, team, text: chance(random, 0.15) ? text : `${head}${head ? " " : ""}${args}` };
    }
    if (r < 0.97) {
      // Action ids the app puts on its buttons (Slack sends no others); the values are forged.
      const pilot = chance(random, 0.3);
      const actionId = pilot
        ? pick(random, ["pilot_done", "pilot_snooze_day", "pilot_snooze_week", `pilot_done.${pick(random, context.milestoneRefs)}`, "pilot_snooze_week.AAAAAAAAAAAA"])
        : pick(random, ["terrinclus:more:0", "terrinclus:sources:1", "terrinclus:section:99", "terrinclus:feedback:3", "terrinclus:", "terrinclus:x".repeat(30)]);
      const payload = pick(random, forgedActionPayloads(random, context));
      const value = pilot
        ? pick(random, [...context.milestoneRefs, "AAAAAAAAAAAA", "", "x".repeat(41), 42, null, hostileText(random, { limit: 60 })])
        : chance(random, 0.1)
          ? pick(random, [42, null, { a: 1 }])
          : typeof payload === "string"
            ? payload
            : JSON.stringify(payload);
      return {
        kind: "action",
        ...(chance(random, 0.95) ? { channel } : {}),
        user,
        actionId,
        value,
        ...(chance(random, 0.5) ? { threadTs: context.knownThread.ts } : {}),
        team: pick(random, [undefined, undefined, null]),
      };
    }
    return { kind: "bad-signature", event: { type: "app_mention", channel, user, text: `<@${context.botUserId}> ${text}`, ts: ts(), event_ts: "1" } };
  });
}
