/**
 * `terrinclus doctor` through the built command line: real Redis, the shared test index, and the local Bot API and
 * Slack Web API servers. Each failing case breaks one thing and expects exit 1, the check marked ✗ and its fix.
 */
import { cp, appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkIndex, checkPlans } from "../../src/cli/commands/doctor.js";
import { loadConfig } from "../../src/config/config.js";
import { indexUpToDate } from "../../src/retrieval/ingest.js";
import { removeDir, runCli, tempDir, type CliResult } from "../fixtures/knowledge.js";
import { TEST_REDIS_URL } from "../support/assistant.js";
import { FakeSlack } from "../support/slack-server.js";
import { FakeTelegram } from "../support/telegram-server.js";

interface JsonCheck {
  name: string;
  status: "ok" | "warning" | "problem";
  message: string;
  fix: string | null;
}

const PLAN = [
  "id: equipe-doctor",
  'name: "Équipe de test"',
  "timezone: Europe/Paris",
  "channels:",
  "  telegram: [-100900902]",
  "milestones:",
  "  - id: copil-1",
  "    title: Premier comité de pilotage",
  "    due: 2031-03-01T10:00",
  "    sheet: gouvernance-pilotage",
  "",
].join("\n");

describe("terrinclus doctor (built command line)", () => {
  let telegram: FakeTelegram;
  let slack: FakeSlack;
  let root: string;
  let goodPilots: string;
  let env: () => Record<string, string>;

  beforeAll(async () => {
    [telegram, slack, root] = await Promise.all([FakeTelegram.start(), FakeSlack.start(), tempDir("doctor")]);
    goodPilots = path.join(root, "pilots");
    await mkdir(goodPilots);
    await writeFile(path.join(goodPilots, "equipe-doctor.yaml"), PLAN);
    env = () => ({
      KNOWLEDGE_DIR: inject("knowledgeDir"),
      INDEX_DIR: inject("indexDir"),
      PILOTS_DIR: goodPilots,
      REDIS_URL: TEST_REDIS_URL,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: "",
    });
  });
  afterAll(async () => {
    await Promise.all([telegram?.close(), slack?.close(), removeDir(root)]);
  });

  const doctor = (overrides: Record<string, string> = {}, json = false) => runCli(["doctor", ...(json ? ["--json"] : [])], { env: { ...env(), ...overrides } });
  const checks = (run: CliResult): JsonCheck[] => JSON.parse(run.stdout) as JsonCheck[];
  const find = (run: CliResult, name: string) => checks(run).find((c) => c.name === name)!;
  /** No token or secret in anything printed. */
  const expectNoSecrets = (run: CliResult, secrets: string[]) => {
    for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  };

  it("exits 0 when everything is good, and calls only getMe and auth.test (nothing is sent)", async () => {
    const [text, json] = await Promise.all([doctor(), doctor({}, true)]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^✓ configuration: valid: EMBEDDINGS=local, channels: telegram \(polling\), slack \(Socket Mode\)$/m);
    expect(text.stdout).toMatch(/^✓ redis: reachable at redis:\/\//m);
    expect(text.stdout).toMatch(/^✓ index: up to date: \d+ files, \d+ passages, embeddings local-hashed-v1:\d+/m);
    expect(text.stdout).toMatch(/^✓ pilot plans: 1 valid plan\(s\) in .*: equipe-doctor$/m);
    expect(text.stdout).toMatch(/^✓ telegram: token accepted: @terrinclus_bot \(id 999\)$/m);
    expect(text.stdout).toMatch(/^✓ slack: token accepted: terrinclus in Terrinclus test \(T0TEST\)$/m);
    expect(text.stdout).toMatch(/^no problem/m);
    expect(text.stdout).not.toMatch(/^✗/m);

    expect(json.code).toBe(0);
    const all = checks(json);
    expect(all.map((c) => c.name)).toEqual(["configuration", "redis", "redis persistence", "index", "pilot plans", "telegram", "slack"]);
    for (const c of all) expect(Object.keys(c).sort()).toEqual(["fix", "message", "name", "status"]);
    // Persistence is whatever the test Redis runs with (often --save ''): on, off or unknown, never a problem.
    expect(find(json, "redis persistence")).toMatchObject({ status: expect.stringMatching(/^(ok|warning)$/), message: expect.stringMatching(/^(on|off|unknown)\b/) });
    if (find(json, "redis persistence").status === "warning") expect(find(json, "redis persistence").fix).toMatch(/appendonly/);

    expect(telegram.calls.map((c) => c.method)).toEqual(["getMe", "getMe"]);
    expect(slack.calls.map((c) => c.method)).toEqual(["auth.test", "auth.test"]);
    expect(slack.posts).toHaveLength(0);
    expectNoSecrets(text, [telegram.token, slack.botToken, slack.appToken]);
    expectNoSecrets(json, [telegram.token, slack.botToken, slack.appToken]);
  });

  it.concurrent("exits 1 on an unreachable Redis, with the fix, and never prints its password", async () => {
    const run = await doctor({ REDIS_URL: "redis://:s3cret-redis-pass@127.0.0.1:1/0" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ redis: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: .*ECONNREFUSED/m);
    expect(run.stdout).toMatch(/^ {4}fix: start Redis .* or correct REDIS_URL/m);
    expect(run.stdout).not.toMatch(/redis persistence/);
    expect(run.stdout).toMatch(/^1 problem\(s\)/m);
    expectNoSecrets(run, ["s3cret-redis-pass", telegram.token, slack.botToken]);
  });

  it.concurrent("exits 1 on an index out of date with the knowledge directory", async () => {
    const knowledge = path.join(root, "knowledge-changed");
    await cp(inject("knowledgeDir"), knowledge, { recursive: true });
    // The unchanged copy is up to date with the shared index (paths are relative to the knowledge directory)…
    expect(await indexUpToDate({ knowledgeDir: knowledge, indexDir: inject("indexDir"), embeddings: { provider: "local" } })).toBe(true);
    // …and one edited sheet makes it stale.
    await appendFile(path.join(knowledge, "kit", "gouvernance-pilotage.fr.md"), "\nUne phrase ajoutée après l'indexation.\n");
    const run = await doctor({ KNOWLEDGE_DIR: knowledge });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ index: the index in .* is out of date with .*knowledge-changed/m);
    expect(run.stdout).toMatch(/^ {4}fix: run terrinclus ingest/m);
  });

  it.concurrent("exits 1 on an invalid glossary, which the bots would refuse to start with", async () => {
    const knowledge = path.join(root, "knowledge-bad-glossary");
    await cp(inject("knowledgeDir"), knowledge, { recursive: true });
    await writeFile(path.join(knowledge, "glossary.yaml"), "terms: [ {unclosed\n");
    const run = await doctor({ KNOWLEDGE_DIR: knowledge });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ index: the glossary .*glossary\.yaml is invalid .*GLOSSARY_INVALID/m);
    expect(run.stdout).toMatch(/^ {4}fix: run terrinclus check/m);
  });

  it.concurrent("exits 1 on a bad plan file, naming the file, milestone and field", async () => {
    const dir = path.join(root, "pilots-bad");
    await mkdir(dir);
    await writeFile(path.join(dir, "equipe-doctor.yaml"), PLAN.replace("sheet: gouvernance-pilotage", "sheet: pas-une-fiche"));
    const run = await doctor({ PILOTS_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ pilot plans: 1 fault\(s\): .*equipe-doctor\.yaml: milestone copil-1, sheet: no kit sheet "pas-une-fiche"/m);
    expect(run.stdout).toMatch(/^ {4}fix: correct the plan files \(terrinclus pilots check/m);
  });

  it.concurrent("exits 1 when Telegram refuses the token, without printing it", async () => {
    const token = "000000:FAKE-refused-telegram-token";
    const run = await doctor({ TELEGRAM_BOT_TOKEN: token });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ telegram: Telegram refused TELEGRAM_BOT_TOKEN \(401: Unauthorized\)$/m);
    expect(run.stdout).toMatch(/^ {4}fix: copy the bot's current token from @BotFather/m);
    expectNoSecrets(run, [token, "refused-telegram-token", slack.botToken]);
  });

  it.concurrent("exits 1 when Slack refuses the token, without printing it", async () => {
    const token = "xoxb-FAKE-refused-token";
    const run = await doctor({ SLACK_BOT_TOKEN: token });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ slack: Slack refused SLACK_BOT_TOKEN \(invalid_auth\)$/m);
    expect(run.stdout).toMatch(/^ {4}fix: copy the Bot User OAuth Token/m);
    expectNoSecrets(run, [token, telegram.token]);
  });

  it.concurrent("exits 1 on an invalid configuration, naming the variable but not its value", async () => {
    const run = await doctor({ SLACK_BOT_TOKEN: "not-a-slack-token-value", REDIS_URL: "http://wrong" }, true);
    expect(run.code).toBe(1);
    const [config] = checks(run);
    expect(config).toMatchObject({ name: "configuration", status: "problem" });
    expect(config!.message).toMatch(/SLACK_BOT_TOKEN/);
    expect(config!.message).toMatch(/REDIS_URL/);
    expectNoSecrets(run, ["not-a-slack-token-value"]);
  });
});

describe("doctor's checks (in process)", () => {
  const config = (env: Record<string, string>) => loadConfig({ KNOWLEDGE_DIR: inject("knowledgeDir"), INDEX_DIR: inject("indexDir"), ...env });

  it("a missing index, or one built with other embeddings, is a problem with its fix", async () => {
    const missing = await checkIndex(config({ INDEX_DIR: path.join(inject("indexDir"), "no-such-index") }));
    expect(missing).toMatchObject({ status: "problem", message: expect.stringMatching(/^no usable index in /), fix: expect.stringContaining("terrinclus ingest") });
    const other = await checkIndex(config({ EMBEDDINGS: "openai", EMBEDDINGS_MODEL: "text-embedding-3-small" }));
    expect(other).toMatchObject({ status: "problem", message: expect.stringContaining('"openai:text-embedding-3-small" are configured'), fix: expect.stringContaining("ingest --force") });
    expect(await checkIndex(config({}))).toMatchObject({ status: "ok", message: expect.stringMatching(/^up to date: /) });
  });

  it("no pilot plan is only a warning", async () => {
    const none = await checkPlans(config({ PILOTS_DIR: path.join(inject("indexDir"), "no-such-pilots") }));
    expect(none).toMatchObject({ status: "warning", fix: expect.stringContaining("terrinclus pilots new") });
  });
});
