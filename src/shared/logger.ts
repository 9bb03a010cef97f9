/** Structured logs on stderr (pino), so standard output stays free for answers and JSON. */
import { pino, type Logger } from "pino";

export type { Logger };

/** A JSON logger on standard error at `level` (default LOG_LEVEL, else info), with tokens, keys, secrets and passwords redacted. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino(
    {
      level,
      base: undefined,
      // Secrets must never reach the logs, whatever object is logged.
      redact: { paths: ["*.token", "*.apiKey", "*.secret", "*.password", "config.*KEY", "config.*TOKEN", "config.*SECRET"], censor: "[redacted]" },
    },
    pino.destination(2),
  );
}
