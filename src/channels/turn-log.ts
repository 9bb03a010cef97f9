/**
 * One structured log line per update, event, command or button a channel handles (its id, channel, kind,
 * latency and outcome; the message text at debug level only), and the count of those still in progress,
 * which a graceful shutdown waits for.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "../shared/logger.js";

/** How a turn ended, as the log line and dashboards read it. */
export type TurnOutcome = "answered" | "refused" | "rate_limited" | "ignored" | "handled" | "failed";

/** What a turn's line says besides its id, kind, latency and outcome (the language, the button's action…). */
export type TurnFields = Record<string, string | number | boolean | undefined>;

export interface TurnStart {
  channel: "telegram" | "slack";
  /** The platform's id of what arrived: Telegram's `update_id`, Slack's `event_id` or trigger id. */
  id: string | number | undefined;
  /** message, command, button… */
  kind: string;
}

/** One update or event in progress. */
export interface Turn {
  /** Sets the outcome (default: handled) and adds fields to the turn's line. */
  note(outcome: TurnOutcome, fields?: TurnFields): void;
  /** The user's text: logged at debug level only, never at info. */
  text(text: string): void;
  /** Ends the turn with its one line (at error level when `error` is given). Ending twice logs once. */
  end(error?: unknown): void;
}

/** Begins turns and counts those in progress, so a shutdown can wait for them. */
export class TurnLog {
  private active = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly logger?: Logger) {}

  /** The turns begun and not yet ended. */
  get inFlight(): number {
    return this.active;
  }

  /** Starts timing a turn; its line is written when it ends. */
  begin(start: TurnStart): Turn {
    const started = performance.now();
    const idField = start.channel === "telegram" ? "update_id" : "event_id";
    const line: TurnFields = { channel: start.channel, [idField]: start.id, kind: start.kind };
    let outcome: TurnOutcome = "handled";
    let ended = false;
    this.active++;
    return {
      note: (value, fields = {}) => {
        outcome = value;
        Object.assign(line, fields);
      },
      text: (text) => this.logger?.debug({ channel: start.channel, [idField]: start.id, text }, "message text"),
      end: (error) => {
        if (ended) return;
        ended = true;
        const fields = { ...line, latency_ms: Math.round(performance.now() - started) };
        if (error === undefined) this.logger?.info({ ...fields, outcome }, "turn");
        else this.logger?.error({ ...fields, outcome: "failed", err: error instanceof Error ? error.message : String(error) }, "turn");
        this.active--;
        if (this.active === 0) for (const resolve of this.waiting.splice(0)) resolve();
      },
    };
  }

  /** Resolves when no turn is in progress (at once when none is). */
  drained(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
