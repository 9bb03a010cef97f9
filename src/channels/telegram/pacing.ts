/**
 * Paces outgoing messages per chat (Telegram asks for about one message per second in a chat and
 * twenty per minute in a group), so a split answer never trips flood control in the first place.
 */
import type { Transformer } from "grammy";

const SENDING = new Set(["sendMessage", "editMessageText", "sendPhoto", "sendDocument", "copyMessage", "forwardMessage"]);

/** An API transformer that delays each sending call so messages to one chat are `intervalMs` apart (groups: chat ids starting with "-"). */
export function perChatPacing(intervalMs: { private: number; group: number }): Transformer {
  const next = new Map<string, number>();
  return async (prev, method, payload, signal) => {
    const chatId = SENDING.has(method) ? (payload as { chat_id?: number | string }).chat_id : undefined;
    if (chatId === undefined) return prev(method, payload, signal);
    const key = String(chatId);
    const gap = key.startsWith("-") ? intervalMs.group : intervalMs.private;
    const now = Date.now();
    const at = Math.max(now, next.get(key) ?? 0);
    next.set(key, at + gap);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    if (next.size > 10_000) for (const [k, t] of next) if (t < Date.now()) next.delete(k);
    return prev(method, payload, signal);
  };
}
