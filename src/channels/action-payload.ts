/** What a reply's button carries back (action + answer id), shared by the channels and validated when it returns. */
import { z } from "zod";
import type { Action } from "../answer/reply.js";

const answerId = z.string().regex(/^[A-Za-z0-9_-]{6,24}$/);

export const ActionPayloadSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("feedback"), useful: z.boolean(), answerId }),
  z.object({ action: z.literal("sources"), answerId }),
  z.object({ action: z.literal("similar"), answerId }),
  z.object({ action: z.literal("more"), answerId }),
  z.object({ action: z.literal("section"), index: z.number().int().min(0).max(99), answerId }),
]);
export type ActionPayload = z.infer<typeof ActionPayloadSchema>;

/** The payload of one of a reply's actions. */
export function actionPayload(action: Action, answerId: string): ActionPayload {
  switch (action.type) {
    case "feedback":
      return { action: "feedback", useful: action.useful, answerId };
    case "section":
      return { action: "section", index: action.index, answerId };
    default:
      return { action: action.type, answerId };
  }
}
