/** Counts every failed Bot API call (each retry attempt included) in `terrinclus_platform_errors_total`. */
import type { Transformer } from "grammy";
import { platformErrorKind, platformErrorsTotal } from "../../shared/metrics.js";

/** Install it first, so that it sits under the retrying transformers and sees each attempt. */
export function countApiErrors(): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) platformErrorsTotal.inc({ platform: "telegram", method, kind: platformErrorKind(result.error_code) });
      return result;
    } catch (error) {
      platformErrorsTotal.inc({ platform: "telegram", method, kind: "network" });
      throw error;
    }
  };
}
