/**
 * `terrinclus doctor`: checks the configuration, Redis, the index, the pilot plans and the platform credentials, and
 * says what is wrong and how to fix it. It only reads: `getMe` and `auth.test` are the only platform calls, no message
 * is ever sent, nothing is written. Exit 1 when any check finds a problem (warnings do not fail). Secrets never appear
 * in the output: every line is scrubbed of the configured tokens, secrets, keys and Redis password.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Api, GrammyError, HttpError } from "grammy";
import { ConfigError, loadConfig, type Config } from "../../config/config.js";
import { isGlossary, loadGlossary } from "../../knowledge/glossary.js";
import { formatPlanError, loadPlans } from "../../reminders/load-plans.js";
import { SheetCatalog } from "../../reminders/sheets.js";
import { embeddingsName } from "../../retrieval/embedding-model.js";
import { indexUpToDate } from "../../retrieval/ingest.js";
import { readManifest } from "../../retrieval/manifest.js";
import { createRedis, redactUrl } from "../../shared/redis.js";
import { embeddingsSettings, indexLocation } from "../runtime.js";
import { configuredChannels, slackSettings } from "../services.js";

export type CheckStatus = "ok" | "warning" | "problem";

/** One check's finding: `fix` says what to do when the status is not ok. */
export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

const PLATFORM_TIMEOUT_MS = 10_000;
const SECRET_VARIABLES = ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "OPENAI_API_KEY", "LLM_API_KEY"] as const;

const ok = (name: string, message: string): Check => ({ name, status: "ok", message });
const warning = (name: string, message: string, fix: string): Check => ({ name, status: "warning", message, fix });
const problem = (name: string, message: string, fix: string): Check => ({ name, status: "problem", message, fix });
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0]!;

/** The configuration: every variable valid, and the settings each configured channel needs present. */
export function checkConfig(config: Config): Check {
  const channels = configuredChannels(config);
  if (channels.includes("slack")) {
    try {
      slackSettings(config);
    } catch (error) {
      if (error instanceof ConfigError) return problem("configuration", error.message, "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); see the README's Slack section");
      throw error;
    }
  }
  const slackMode = config.SLACK_APP_TOKEN ? "Socket Mode" : "HTTP";
  const described = channels.map((c) => (c === "slack" ? `slack (${slackMode})` : config.TELEGRAM_WEBHOOK_URL ? "telegram (webhook)" : "telegram (polling)"));
  return ok("configuration", `valid: EMBEDDINGS=${config.EMBEDDINGS}, channels: ${described.join(", ") || "none (console only)"}${config.LLM_BASE_URL ? ", language model configured" : ""}`);
}

/** Redis: set when the bots need it, reachable, and whether it keeps its data across a restart. */
export async function checkRedis(config: Config): Promise<Check[]> {
  const channels = configuredChannels(config);
  if (!config.REDIS_URL) {
    return channels.length
      ? [
          problem(
            "redis",
            `REDIS_URL is not set, and the ${channels.join(" and ")} ${channels.length > 1 ? "bots need" : "bot needs"} it`,
            "export REDIS_URL=redis://host:6379 (conversations, rate limits and reminders are kept in Redis)",
          ),
        ]
      : [warning("redis", "REDIS_URL is not set: the command line keeps feedback and conversations in DATA_DIR", "set REDIS_URL before running the bots or the reminders, which need Redis")];
  }
  const where = redactUrl(config.REDIS_URL);
  const redis = createRedis(config.REDIS_URL, "requests");
  // The cause (refused, unknown host, wrong password) comes as an event; connect() then only says the connection closed.
  let cause: unknown;
  redis.on("error", (error) => (cause ??= error));
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      return [problem("redis", `cannot reach Redis at ${where}: ${errorText(cause ?? error)}`, "start Redis (e.g. redis-server --appendonly yes) or correct REDIS_URL (host, port, password, TLS with rediss://)")];
    }
    return [ok("redis", `reachable at ${where}`), await checkPersistence(redis)];
  } finally {
    redis.disconnect();
  }
}

async function checkPersistence(redis: ReturnType<typeof createRedis>): Promise<Check> {
  const name = "redis persistence";
  let appendonly: string | undefined;
  let save: string | undefined;
  try {
    appendonly = ((await redis.config("GET", "appendonly")) as string[])[1];
    save = ((await redis.config("GET", "save")) as string[])[1];
  } catch (error) {
    return warning(name, `unknown (CONFIG GET refused: ${errorText(error)})`, "check with your Redis provider that AOF or RDB persistence is on: done milestones and snoozes live in Redis");
  }
  const modes = [...(appendonly === "yes" ? ["AOF (appendonly yes)"] : []), ...(save?.trim() ? [`RDB (save ${save.trim()})`] : [])];
  if (modes.length) return ok(name, `on: ${modes.join(", ")}`);
  return warning(
    name,
    "off: a Redis restart loses conversations, done milestones and snoozes (pilots sync restores only the reminders)",
    "run Redis with --appendonly yes (or CONFIG SET appendonly yes then CONFIG REWRITE)",
  );
}

/** The index: present, built with the configured embeddings, up to date with the knowledge directory. */
export async function checkIndex(config: Config): Promise<Check> {
  const name = "index";
  const { knowledgeDir, indexDir } = indexLocation(config);
  if (!existsSync(knowledgeDir)) return problem(name, `the knowledge directory ${knowledgeDir} does not exist`, "set KNOWLEDGE_DIR to the knowledge base (default: knowledge)");
  const glossary = await loadGlossary(knowledgeDir);
  if (!isGlossary(glossary))
    return problem(
      name,
      `the glossary ${path.join(knowledgeDir, glossary.path)} is invalid (${glossary.message}): the bots refuse to start with it (GLOSSARY_INVALID)`,
      "run terrinclus check and fix the glossary, then terrinclus ingest",
    );
  const manifest = await readManifest(indexDir);
  if (!manifest) return problem(name, `no usable index in ${indexDir}`, `run terrinclus ingest (it writes the index to INDEX_DIR)`);
  const settings = embeddingsSettings(config);
  const expected = embeddingsName(settings);
  if (manifest.embeddings.name !== expected) {
    return problem(name, `the index in ${indexDir} was built with embeddings "${manifest.embeddings.name}" but "${expected}" are configured`, "run terrinclus ingest --force (or set EMBEDDINGS back)");
  }
  if (!(await indexUpToDate({ knowledgeDir, indexDir, embeddings: settings }))) {
    return problem(
      name,
      `the index in ${indexDir} is out of date with ${knowledgeDir} (files or glossary changed since ${manifest.builtAt})`,
      "run terrinclus ingest (only the changed passages are re-embedded), then send the bots SIGHUP to reload it (or restart them)",
    );
  }
  const summary = `${manifest.files.length} files, ${manifest.chunks} passages, embeddings ${manifest.embeddings.name}, built ${manifest.builtAt}`;
  if (manifest.errors.length) {
    return warning(
      name,
      `up to date (${summary}) but ${manifest.errors.length} file(s) were skipped: ${manifest.errors.map((e) => e.path).join(", ")}`,
      "run terrinclus check, fix the files it names, then terrinclus ingest",
    );
  }
  return ok(name, `up to date: ${summary}`);
}

/** The pilot plans of PILOTS_DIR: each one valid (none is only a warning). */
export async function checkPlans(config: Config): Promise<Check> {
  const name = "pilot plans";
  const dir = path.resolve(config.PILOTS_DIR);
  const sheets = await SheetCatalog.load(config.KNOWLEDGE_DIR);
  const { plans, errors } = await loadPlans(dir, sheets.ids());
  if (errors.length) {
    const listed = errors.slice(0, 5).map((e) => formatPlanError({ ...e, file: path.relative(process.cwd(), e.file) || e.file }));
    return problem(name, `${errors.length} fault(s): ${listed.join("; ")}${errors.length > 5 ? "; …" : ""}`, "correct the plan files (terrinclus pilots check lists every fault), then run terrinclus pilots sync");
  }
  if (!plans.length) return warning(name, `no plan in ${dir}: no reminders will be sent`, "create one with terrinclus pilots new <id> --start <date> --months <n> (or set PILOTS_DIR)");
  return ok(name, `${plans.length} valid plan(s) in ${dir}: ${plans.map((p) => p.plan.id).join(", ")}`);
}

/** Telegram: the token is accepted (`getMe` only; nothing is sent). */
export async function checkTelegram(config: Config): Promise<Check> {
  const name = "telegram";
  if (!config.TELEGRAM_BOT_TOKEN) return ok(name, "not configured (TELEGRAM_BOT_TOKEN is not set)");
  const where = config.TELEGRAM_API_ROOT ?? "api.telegram.org";
  try {
    const api = new Api(config.TELEGRAM_BOT_TOKEN, { ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}), timeoutSeconds: PLATFORM_TIMEOUT_MS / 1000 });
    const me = await api.getMe();
    return ok(name, `token accepted: @${me.username} (id ${me.id})`);
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      return problem(name, `Telegram refused TELEGRAM_BOT_TOKEN (${error.error_code}: ${error.description})`, "copy the bot's current token from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN");
    }
    if (error instanceof GrammyError) return problem(name, `getMe failed (${error.error_code}: ${error.description})`, "try again later; if it persists, check the bot with @BotFather");
    const detail = error instanceof HttpError ? errorText(error.error) : errorText(error);
    return problem(name, `cannot reach the Bot API at ${where}: ${detail}`, "check the network (outgoing HTTPS) or TELEGRAM_API_ROOT");
  }
}

/** Slack: the bot token is accepted (`auth.test` only; nothing is sent), and its workspace is allowed. */
export async function checkSlack(config: Config): Promise<Check> {
  const name = "slack";
  if (!config.SLACK_BOT_TOKEN) return ok(name, "not configured (SLACK_BOT_TOKEN is not set)");
  const base = config.SLACK_API_URL ?? "https://slack.com/api/";
  const url = `${base.endsWith("/") ? base : `${base}/`}auth.test`;
  let body: { ok?: boolean; error?: string; team?: string; team_id?: string; user?: string };
  try {
    const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${config.SLACK_BOT_TOKEN}` }, signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS) });
    body = (await response.json()) as typeof body;
  } catch (error) {
    return problem(name, `cannot reach the Slack Web API at ${redactUrl(base)}: ${errorText((error as { cause?: unknown }).cause ?? error)}`, "check the network (outgoing HTTPS) or SLACK_API_URL");
  }
  if (!body.ok) {
    const refused = ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type"].includes(String(body.error));
    return refused
      ? problem(name, `Slack refused SLACK_BOT_TOKEN (${body.error})`, "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN (reinstall the app if it was revoked)")
      : problem(name, `auth.test failed (${body.error ?? "no answer"})`, "try again later; if it persists, check the app on https://api.slack.com/apps");
  }
  const who = `${body.user ?? "?"} in ${body.team ?? "?"} (${body.team_id ?? "?"})`;
  if (config.SLACK_ALLOWED_TEAMS?.length && body.team_id && !config.SLACK_ALLOWED_TEAMS.includes(body.team_id)) {
    return warning(name, `token accepted: ${who}, but ${body.team_id} is not in SLACK_ALLOWED_TEAMS: its events will be refused`, `add ${body.team_id} to SLACK_ALLOWED_TEAMS`);
  }
  return ok(name, `token accepted: ${who}`);
}

/** Every check, in order; one that throws is reported as a problem rather than stopping the others. */
export async function runChecks(config: Config): Promise<Check[]> {
  const guard = async (name: string, run: () => Promise<Check | Check[]>): Promise<Check[]> => {
    try {
      return [await run()].flat();
    } catch (error) {
      return [problem(name, `the check failed: ${errorText(error)}`, "see the message; run the matching terrinclus command for details")];
    }
  };
  const first = await guard("configuration", async () => checkConfig(config));
  const rest = await Promise.all([
    guard("redis", () => checkRedis(config)),
    guard("index", () => checkIndex(config)),
    guard("pilot plans", () => checkPlans(config)),
    guard("telegram", () => checkTelegram(config)),
    guard("slack", () => checkSlack(config)),
  ]);
  return [...first, ...rest.flat()];
}

/** The secret values of the environment (and the Redis password), which no output line may contain. */
function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = SECRET_VARIABLES.map((v) => env[v]?.trim() ?? "");
  try {
    if (env.REDIS_URL) values.push(decodeURIComponent(new URL(env.REDIS_URL).password));
  } catch {
    // not a URL: the configuration check says so
  }
  return values.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** The text with each secret replaced by `***` (longest first, as `secretsOf` sorts them, so no part of a longer one is left). */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
}

const SYMBOL: Record<CheckStatus, string> = { ok: "✓", warning: "!", problem: "✗" };

/** Runs the checks and prints them (one JSON array with `--json`); 1 when any found a problem, else 0. */
export async function runDoctor(options: { json?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let checks: Check[];
  try {
    checks = await runChecks(loadConfig(env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const bad = error.message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
    checks = [problem("configuration", `invalid: ${bad.join("; ")}`, "correct these variables in the environment or .env (see .env.example); the other checks need a valid configuration")];
  }
  const secrets = secretsOf(env);
  const write = (text: string) => process.stdout.write(`${scrub(text, secrets)}\n`);
  if (options.json) {
    write(JSON.stringify(checks.map((c) => ({ name: c.name, status: c.status, message: c.message, fix: c.fix ?? null }))));
  } else {
    for (const c of checks) {
      write(`${SYMBOL[c.status]} ${c.name}: ${c.message}`);
      if (c.fix) write(`    fix: ${c.fix}`);
    }
    const problems = checks.filter((c) => c.status === "problem").length;
    const warnings = checks.filter((c) => c.status === "warning").length;
    write(problems ? `${problems} problem(s), ${warnings} warning(s)` : `no problem${warnings ? `, ${warnings} warning(s)` : ""}`);
  }
  return checks.some((c) => c.status === "problem") ? 1 : 0;
}
