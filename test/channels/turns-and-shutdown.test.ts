/** The turn log (one line per update, text at debug only, draining), the shutdown deadline, a signal during start-up, platform errors counted. */
import { Writable } from "node:stream";
import { Api } from "grammy";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countApiErrors } from "../../src/channels/telegram/api-errors.js";
import { TurnLog } from "../../src/channels/turn-log.js";
import { runServices, shutdownDeadline } from "../../src/cli/services.js";
import { platformErrorsTotal } from "../../src/shared/metrics.js";
import { FakeTelegram } from "../support/telegram-server.js";

/** A pino logger at `level` whose lines are kept, parsed. */
function memoryLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level, base: undefined }, stream), lines };
}

describe("TurnLog", () => {
  it("logs one info line per turn with its id, channel, kind, latency and outcome, and no text", () => {
    const { logger, lines } = memoryLogger("info");
    const turns = new TurnLog(logger);
    const turn = turns.begin({ channel: "telegram", id: 42, kind: "message" });
    turn.text("Comment constituer un comité de pilotage ?");
    turn.note("answered", { lang: "fr" });
    turn.end();
    turn.end();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: "turn", channel: "telegram", update_id: 42, kind: "message", outcome: "answered", lang: "fr" });
    expect(typeof lines[0]!.latency_ms).toBe("number");
    expect(JSON.stringify(lines)).not.toContain("comité");
  });

  it("logs the text at debug level, and a failure at error level with the event id", () => {
    const { logger, lines } = memoryLogger("debug");
    const turn = new TurnLog(logger).begin({ channel: "slack", id: "Ev01", kind: "app_mention" });
    turn.text("Comment constituer un comité de pilotage ?");
    turn.end(new Error("Redis is gone"));
    expect(lines[0]).toMatchObject({ level: 20, msg: "message text", event_id: "Ev01", text: "Comment constituer un comité de pilotage ?" });
    expect(lines[1]).toMatchObject({ level: 50, msg: "turn", channel: "slack", event_id: "Ev01", outcome: "failed", err: "Redis is gone" });
  });

  it("drains: resolves at once when idle, else when the last turn in progress ends", async () => {
    const turns = new TurnLog();
    await turns.drained();
    const first = turns.begin({ channel: "telegram", id: 1, kind: "message" });
    const second = turns.begin({ channel: "telegram", id: 2, kind: "message" });
    let drained = false;
    const done = turns.drained().then(() => (drained = true));
    first.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    expect(turns.inFlight).toBe(1);
    second.end();
    await done;
    expect(turns.inFlight).toBe(0);
  });
});

describe("shutdownDeadline", () => {
  it("exits with status 1 and names what is still stopping when the deadline passes, and not once disarmed", async () => {
    const { logger, lines } = memoryLogger("info");
    const exits: number[] = [];
    shutdownDeadline(
      30,
      logger,
      () => ["reminder worker"],
      (code) => exits.push(code),
    );
    const disarm = shutdownDeadline(
      30,
      logger,
      () => ["telegram"],
      (code) => exits.push(code + 10),
    );
    disarm();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(exits).toEqual([1]);
    expect(lines).toEqual([expect.objectContaining({ level: 50, code: "SHUTDOWN_TIMEOUT", pending: ["reminder worker"] })]);
  });
});

describe("runServices", () => {
  it("a signal during start-up stops the start there and shuts down what started, in the stop order", async () => {
    const { logger } = memoryLogger("info");
    const events: string[] = [];
    let signal!: (name: string) => void;
    const service = (name: string, startMs = 0) => ({
      name,
      start: async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, startMs));
        if (name === "slow") signal("SIGTERM");
      },
      stop: async () => void events.push(`stop ${name}`),
    });
    const [first, slow, never] = [service("first"), service("slow", 20), service("never")];
    await runServices([first, slow, never], logger, { signal: new Promise((resolve) => (signal = resolve)), stopOrder: [first, slow, never] });
    expect(events).toEqual(["start first", "start slow", "stop first", "stop slow"]);
  });
});

describe("platform errors in /metrics", () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    fake.addChat(5001, "private");
  });
  afterAll(async () => fake?.close());

  const count = async (kind: string) => (await platformErrorsTotal.get()).values.find((v) => v.labels.platform === "telegram" && v.labels.method === "sendMessage" && v.labels.kind === kind)?.value ?? 0;

  it("counts a Bot API call the platform rejects, and one answered with a server error", async () => {
    const { logger, lines } = memoryLogger("info");
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    api.config.use(countApiErrors(logger));
    const rejected = await count("rejected");
    await expect(api.sendMessage(5001, "x".repeat(5000))).rejects.toThrow(/too long/);
    expect(await count("rejected")).toBe(rejected + 1);

    const server = await count("server");
    fake.outage("error");
    await expect(api.sendMessage(5001, "bonjour")).rejects.toThrow();
    fake.outage(undefined);
    expect(await count("server")).toBe(server + 1);
    // Visible in the logs too, without the token.
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: "platform call failed", method: "sendMessage", kind: "rejected", error_code: 400 }),
      expect.objectContaining({ level: 40, msg: "platform call failed", method: "sendMessage", kind: "server", error_code: 500 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(fake.token);
    await expect(api.sendMessage(5001, "bonjour")).resolves.toMatchObject({ text: "bonjour" });
  });
});
