/**
 * A running bot as production runs it (the built CLI, real Redis, the local Bot API server): one JSON log line per
 * update without the message's text, SIGHUP reloading the index (and keeping the old one when the new one is
 * unreadable), SIGTERM stopping it cleanly, and a shutdown held by a hung platform ending at the deadline.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLI, cliEnv, PROJECT_DIR, runCli } from "../fixtures/knowledge.js";
import { TEST_REDIS_URL } from "../support/assistant.js";
import { FakeTelegram, type ChatRef } from "../support/telegram-server.js";

const QUESTION = "Comment constituer un comité de pilotage ?";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0);
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The bot process with its parsed JSON log lines. */
class RunningBot {
  readonly lines: Array<Record<string, unknown>> = [];
  raw = "";
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.raw += chunk;
      for (const line of chunk.split("\n")) if (line.startsWith("{")) this.lines.push(JSON.parse(line));
    });
    this.exited = new Promise((resolve) => child.on("close", resolve));
  }

  async waitForLine(predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`no such log line; logs:\n${this.raw}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe("a running bot in operation (built command line)", () => {
  let fake: FakeTelegram;
  let indexDir: string;
  let chatId = 7_300_001;
  const chat = (): ChatRef => ({ id: chatId++, type: "private" });
  const user = { id: 73_001, first_name: "Awa", language_code: "fr" };

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    indexDir = path.join(await mkdtemp(path.join(os.tmpdir(), "terrinclus-ops-")), "index");
    await cp(inject("indexDir"), indexDir, { recursive: true });
  });
  afterAll(async () => {
    await fake?.close();
    await rm(path.dirname(indexDir), { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}) =>
    new RunningBot(
      spawn(process.execPath, [CLI, "start"], {
        cwd: PROJECT_DIR,
        env: cliEnv({
          LOG_LEVEL: "info",
          REDIS_URL: TEST_REDIS_URL,
          INDEX_DIR: indexDir,
          KNOWLEDGE_DIR: inject("knowledgeDir"),
          PILOTS_DIR: path.dirname(indexDir),
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.apiRoot,
          SLACK_BOT_TOKEN: "",
          ...env,
        }),
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );

  it("logs each update's id, kind, latency and outcome without its text, reloads its index on SIGHUP, and stops on SIGTERM", async () => {
    const port = await freePort();
    const bot = start({ METRICS_PORT: String(port) });
    try {
      await bot.waitForLine((l) => l.msg === "telegram bot polling for updates");
      // Ready once the bot itself runs, not only Redis and the index.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({ ready: true, checks: ["redis", "index", "telegram"] });
      const first = fake.sendText(chat(), user, QUESTION);
      const turn = await bot.waitForLine((l) => l.msg === "turn" && l.update_id === first.update_id);
      expect(turn).toMatchObject({ level: 30, channel: "telegram", kind: "message", outcome: "answered", lang: "fr" });
      expect(turn.latency_ms).toEqual(expect.any(Number));
      expect(bot.raw).not.toContain("comité de pilotage");

      bot.child.kill("SIGHUP");
      expect(await bot.waitForLine((l) => l.msg === "index reloaded")).toMatchObject({ passages: expect.any(Number) });

      // An unreadable index: the reload fails with its code, the old index keeps answering.
      await writeFile(path.join(indexDir, "manifest.json"), "{ not json");
      bot.child.kill("SIGHUP");
      expect(await bot.waitForLine((l) => l.msg === "index reload failed")).toMatchObject({ level: 50, code: "INDEX_RELOAD_FAILED" });
      const second = fake.sendText(chat(), user, "how do I structure a partner diagnosis?");
      expect(await bot.waitForLine((l) => l.msg === "turn" && l.update_id === second.update_id)).toMatchObject({ outcome: "answered", lang: "en" });
    } finally {
      bot.child.kill("SIGTERM");
    }
    expect(await bot.exited).toBe(0);
    expect(bot.lines.some((l) => l.msg === "stopping" && l.signal === "SIGTERM")).toBe(true);
    await cp(inject("indexDir"), indexDir, { recursive: true, force: true });
  });

  it("exits with status 1 at the shutdown deadline when a hung platform holds an update, naming what it waited for", async () => {
    const bot = start({ SHUTDOWN_TIMEOUT_MS: "1500" });
    try {
      await bot.waitForLine((l) => l.msg === "telegram bot polling for updates");
      fake.outage("hang");
      fake.sendText(chat(), user, QUESTION);
      // The update is handed over before the outage holds getUpdates; its reply is what hangs.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      bot.child.kill("SIGTERM");
    }
    const started = Date.now();
    const code = await bot.exited;
    fake.outage(undefined);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(bot.lines.find((l) => l.msg === "shutdown took too long; exiting")).toMatchObject({ code: "SHUTDOWN_TIMEOUT", timeout_ms: 1500, pending: expect.arrayContaining([expect.any(String)]) });
  });
});

describe("coded errors on the command line", () => {
  it("refuses to search with an invalid glossary instead of quietly dropping its concepts, and names the code", async () => {
    const knowledge = await mkdtemp(path.join(os.tmpdir(), "terrinclus-glossary-"));
    try {
      await writeFile(path.join(knowledge, "glossary.yaml"), "terms: [ {unclosed\n");
      const run = await runCli(["ask", "comité de pilotage ?"], { env: { KNOWLEDGE_DIR: knowledge, INDEX_DIR: inject("indexDir") } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/glossary.*is invalid.*terrinclus check.*\[GLOSSARY_INVALID\]/s);
    } finally {
      await rm(knowledge, { recursive: true, force: true });
    }
  });

  it("names the code of a configuration error", async () => {
    const run = await runCli(["ask", "comité de pilotage ?"], { env: { SHUTDOWN_TIMEOUT_MS: "soon" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/SHUTDOWN_TIMEOUT_MS.*\[CONFIG_INVALID\]/s);
  });
});
