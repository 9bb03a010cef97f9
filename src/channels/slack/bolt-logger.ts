/** Bolt's logger interface over our pino logger (Bolt's own chatter at debug; warnings and errors kept). */
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../shared/logger.js";

/** A Bolt logger writing to `logger` with `source: "bolt"`; Bolt's info goes to debug, and its level setting is only remembered. */
export function boltLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  let level = LogLevel.WARN;
  return {
    debug: (...msg) => logger.debug({ source: "bolt" }, line(msg)),
    info: (...msg) => logger.debug({ source: "bolt" }, line(msg)),
    warn: (...msg) => logger.warn({ source: "bolt" }, line(msg)),
    error: (...msg) => logger.error({ source: "bolt" }, line(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
