/** ISO-8601 durations as plan files write them ("P14D", "PT30S"): parsed, checked, and applied in local time. */
import { Duration } from "luxon";

/** Whole-number ISO-8601 durations only (no fractions, no negative values): they end up in job ids. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** The duration, or undefined when `text` is not a whole-number ISO-8601 duration. */
export function parseOffset(text: string): Duration | undefined {
  if (!ISO_DURATION.test(text)) return undefined;
  const duration = Duration.fromISO(text);
  return duration.isValid ? duration : undefined;
}

/** True for a well-formed offset such as P7D, P1W, PT2H or PT30S (P0D, "on the due time", included). */
export function isOffset(text: string): boolean {
  return parseOffset(text) !== undefined;
}

/** The default reminders: 14, 7 and 1 day(s) before, and on the due time. */
export const DEFAULT_OFFSETS = ["P14D", "P7D", "P1D", "P0D"] as const;
