/** Counts every failed Bot API call (each retry attempt included) in `terrinclus_platform_errors_total`, and logs it. */
import type { Transformer } from "grammy";
import type { Logger } from "../../shared/logger.js";
import { platformErrorKind, platformErrorsTotal } from "../../shared/metrics.js";

/** Install it first, so that it sits under the retrying transformers and sees each attempt. */
export function countApiErrors(logger?: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) {
        const kind = platformErrorKind(result.error_code);
        platformErrorsTotal.inc({ platform: "telegram", method, kind });
        logger?.warn({ platform: "telegram", method, kind, error_code: result.error_code, description: result.description }, "platform call failed");
      }
      return result;
    } catch (error) {
      platformErrorsTotal.inc({ platform: "telegram", method, kind: "network" });
      // The error's name only: a network error's message may carry the request URL, and with it the bot token.
      logger?.warn({ platform: "telegram", method, kind: "network", error: (error as Error).name }, "platform call failed");
      throw error;
    }
  };
}
