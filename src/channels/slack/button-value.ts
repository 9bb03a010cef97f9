/** A button's `value`: the action and its answer id as compact JSON, validated with zod when Slack sends it back. */
import { ActionPayloadSchema, type ActionPayload } from "../action-payload.js";

/** The `value` of a button carrying `payload`. */
export function encodeButtonValue(payload: ActionPayload): string {
  return JSON.stringify(payload);
}

/** The payload a button carries, or undefined for anything else (old, forged or foreign values). */
export function decodeButtonValue(value: string | undefined): ActionPayload | undefined {
  if (!value || value.length > 2000) return undefined;
  try {
    const parsed = ActionPayloadSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
