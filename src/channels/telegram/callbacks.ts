/** Inline-button payloads: compact, under Telegram's 64-byte limit, validated when they come back. */
import { ActionPayloadSchema, type ActionPayload } from "../action-payload.js";

const CallbackSchema = ActionPayloadSchema;
export type Callback = ActionPayload;

/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

const PREFIX = { sources: "src", similar: "sim", more: "more" } as const;

/** A button's callback_data (`fb:1:<id>`, `sec:2:<id>`, `src:<id>`…); throws when it would exceed 64 bytes. */
export function encodeCallback(callback: Callback): string {
  const data =
    callback.action === "feedback"
      ? `fb:${callback.useful ? 1 : 0}:${callback.answerId}`
      : callback.action === "section"
        ? `sec:${callback.index}:${callback.answerId}`
        : `${PREFIX[callback.action]}:${callback.answerId}`;
  if (Buffer.byteLength(data) > MAX_CALLBACK_BYTES) throw new Error(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${data}`);
  return data;
}

/** The callback a button carries, or undefined for anything else (old, forged or foreign data). */
export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || Buffer.byteLength(data) > MAX_CALLBACK_BYTES) return undefined;
  const parts = data.split(":");
  const [kind, a, b] = parts;
  const candidate =
    parts.length === 3 && kind === "fb" && (a === "1" || a === "0")
      ? { action: "feedback", useful: a === "1", answerId: b }
      : parts.length === 3 && kind === "sec" && /^\d{1,2}$/.test(a ?? "")
        ? { action: "section", index: Number(a), answerId: b }
        : parts.length === 2
          ? { action: (Object.entries(PREFIX).find(([, p]) => p === kind) ?? [])[0], answerId: a }
          : undefined;
  const parsed = CallbackSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
