/**
 * `npm start` / `terrinclus start` runs the reminders' worker beside the bots when pilot plans exist: the built CLI,
 * real Redis (a database of this file's own, so the default key names touch nothing else) and the local Bot API server.
 */
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CLI, cliEnv, PROJECT_DIR, runCli } from "../fixtures/knowledge.js";
import { TEST_REDIS_URL } from "../support/assistant.js";
import { FakeTelegram } from "../support/telegram-server.js";

const CHAT = -100900901;
const redisUrl = (db: number) => {
  const url = new URL(TEST_REDIS_URL);
  url.pathname = `/${db}`;
  return url.href;
};
/** Databases this file alone uses: with plans, without, and with plans but the worker switched off. */
const WITH_PLANS = 11;
const WITHOUT = 12;
const SWITCHED_OFF = 13;

/** A local date-time (no offset) `ms` from now in Europe/Paris. */
const localIn = (ms: number) => new Date(Date.now() + ms).toLocaleString("sv-SE", { timeZone: "Europe/Paris" }).replace(" ", "T");

async function wipe(db: number): Promise<void> {
  const redis = new Redis(redisUrl(db));
  for (const pattern of ["terrinclus:*", "bull:pilot-reminders:*"]) {
    const keys = await redis.keys(pattern);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
}

/** Starts the built CLI, waits until `ready` holds, then stops it with SIGTERM; resolves with its exit code and logs. */
async function startThenStop(env: Record<string, string>, ready: (stderr: string) => boolean, timeoutMs = 40_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, "start"], { cwd: PROJECT_DIR, env: cliEnv({ LOG_LEVEL: "info", ...env }), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const deadline = Date.now() + timeoutMs;
  try {
    while (!ready(stderr)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not ready; logs:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.kill("SIGTERM");
  }
  return { code: await exited, stderr };
}

describe("terrinclus start with pilot plans (built command line)", () => {
  let fake: FakeTelegram;
  const indexEnv = () => ({ INDEX_DIR: inject("indexDir"), KNOWLEDGE_DIR: inject("knowledgeDir") });

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    fake.addChat(CHAT, "supergroup", { title: "Équipe pilote" });
    await Promise.all([wipe(WITH_PLANS), wipe(WITHOUT), wipe(SWITCHED_OFF)]);
  });
  afterAll(async () => {
    await fake?.close();
    await Promise.all([wipe(WITH_PLANS), wipe(WITHOUT), wipe(SWITCHED_OFF)]);
  });

  it("starts the worker beside the bot, which posts a due reminder through Telegram, and closes it on SIGTERM", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-start-"));
    await writeFile(
      path.join(dir, "equipe-start.yaml"),
      [
        "id: equipe-start",
        'name: "Équipe de test"',
        "timezone: Europe/Paris",
        "channels:",
        `  telegram: [${CHAT}]`,
        "remind: [PT1S]",
        "milestones:",
        "  - id: copil-1",
        "    title: Premier comité de pilotage",
        `    due: ${localIn(12_000)}`,
        "    sheet: gouvernance-pilotage",
        "",
      ].join("\n"),
    );
    const env = { ...indexEnv(), PILOTS_DIR: dir, REDIS_URL: redisUrl(WITH_PLANS), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SLACK_BOT_TOKEN: "" };
    const sync = await runCli(["pilots", "sync"], { env });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/added 1/);

    const run = await startThenStop(env, () => fake.sent(CHAT).length >= 1);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/"msg":"telegram bot polling for updates"/);
    expect(run.stderr).toMatch(/"platforms":\["telegram"\].*"msg":"reminder worker started"/);
    expect(run.stderr).toMatch(/"msg":"reminder worker stopped"/);
    expect(run.stderr).not.toContain(fake.token);
    const [reminder] = fake.sent(CHAT);
    expect(reminder.text).toMatch(/Premier comité de pilotage/);
    expect(reminder.reply_markup.inline_keyboard.flat()).toHaveLength(3);
    // The delivery was recorded: the job is done, nothing is left for another worker.
    const redis = new Redis(redisUrl(WITH_PLANS));
    expect(await redis.keys("terrinclus:pilots:sent:*")).toHaveLength(1);
    await redis.quit();
  });

  it("does not start the worker when there is no plan (no file, none synced)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-start-empty-"));
    const env = { ...indexEnv(), PILOTS_DIR: dir, REDIS_URL: redisUrl(WITHOUT), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SLACK_BOT_TOKEN: "" };
    const run = await startThenStop(env, (stderr) => /telegram bot polling for updates/.test(stderr));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/the reminder worker is not started/);
    expect(run.stderr).not.toMatch(/reminder worker started/);
  });

  it("does not start the worker with REMINDERS_WORKER=off even when plans exist (a worker runs apart, as in docker-compose.yml)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-start-off-"));
    await writeFile(
      path.join(dir, "equipe-off.yaml"),
      [
        "id: equipe-off",
        'name: "Équipe de test"',
        "timezone: Europe/Paris",
        "channels:",
        `  telegram: [${CHAT}]`,
        "milestones:",
        "  - id: copil-1",
        "    title: Premier comité de pilotage",
        "    due: 2099-01-15",
        "    sheet: gouvernance-pilotage",
        "",
      ].join("\n"),
    );
    const env = { ...indexEnv(), PILOTS_DIR: dir, REMINDERS_WORKER: "off", REDIS_URL: redisUrl(SWITCHED_OFF), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SLACK_BOT_TOKEN: "" };
    const run = await startThenStop(env, (stderr) => /telegram bot polling for updates/.test(stderr));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/"remindersWorker":"off".*the reminder worker is not started/);
    expect(run.stderr).not.toMatch(/reminder worker started/);
  });
});
