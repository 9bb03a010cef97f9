/** Configuration from the environment, validated once at start-up. */
import { CodedError } from "../shared/errors.js";
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

export const ConfigSchema = z
  .object({
    KNOWLEDGE_DIR: z.string().default("knowledge"),
    INDEX_DIR: z.string().default(".index"),
    DATA_DIR: z.string().default(".data"),
    /** The pilot teams' plan files (`<id>.yaml`), for reminders. */
    PILOTS_DIR: z.string().default("pilots"),
    /** `auto`: the bots run the reminders' worker beside them when pilot plans exist; `off`: never (a worker runs apart, as in docker-compose.yml). */
    REMINDERS_WORKER: z.enum(["auto", "off"]).default("auto"),
    EMBEDDINGS: z.enum(["local", "openai"]).default("local"),
    EMBEDDINGS_MODEL: opt(z.string()),
    EMBEDDINGS_DIMENSIONS: opt(z.coerce.number().int().positive()),
    OPENAI_BASE_URL: opt(z.url()),
    OPENAI_API_KEY: opt(z.string()),
    LLM_BASE_URL: opt(z.url()),
    LLM_MODEL: opt(z.string()),
    LLM_API_KEY: opt(z.string()),
    LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
    REDIS_URL: opt(z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://")),
    CONVERSATION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(6 * 3600),
    TELEGRAM_BOT_TOKEN: opt(z.string()),
    TELEGRAM_API_ROOT: opt(z.url()),
    TELEGRAM_WEBHOOK_URL: opt(z.url()),
    TELEGRAM_WEBHOOK_SECRET: opt(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "1-256 characters A-Z, a-z, 0-9, _ and -")),
    TELEGRAM_RATE_LIMIT: z.coerce.number().int().positive().default(20),
    TELEGRAM_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Port of /healthz, /readyz and /metrics (default: PORT; a channel listening on the same port shares the server). */
    METRICS_PORT: opt(z.coerce.number().int().min(0).max(65535)),
    /** On SIGTERM the process finishes what it holds and exits within this; past it, it exits with status 1. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    SLACK_BOT_TOKEN: opt(z.string().regex(/^xox[bp]-/, "must be a bot token (xoxb-…)")),
    SLACK_SIGNING_SECRET: opt(z.string()),
    SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-/, "must be an app-level token (xapp-…)")),
    SLACK_API_URL: opt(z.url()),
    /** Port of the Slack HTTP receiver (default: PORT). */
    SLACK_PORT: opt(z.coerce.number().int().min(0).max(65535)),
    /** Workspace ids allowed to use the Slack app, comma-separated (all when unset). */
    SLACK_ALLOWED_TEAMS: opt(
      z
        .string()
        .transform((v) => v.split(/[\s,]+/).filter(Boolean))
        .pipe(z.array(z.string().regex(/^[TE][A-Z0-9]+$/, "workspace ids look like T0123ABCD"))),
    ),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.EMBEDDINGS === "openai" && !c.EMBEDDINGS_MODEL) ctx.addIssue({ code: "custom", path: ["EMBEDDINGS_MODEL"], message: "required when EMBEDDINGS=openai" });
    const llm = [c.LLM_BASE_URL, c.LLM_MODEL].filter(Boolean).length;
    if (llm === 1) ctx.addIssue({ code: "custom", path: [c.LLM_BASE_URL ? "LLM_MODEL" : "LLM_BASE_URL"], message: "LLM_BASE_URL and LLM_MODEL go together" });
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "required when TELEGRAM_WEBHOOK_URL is set" });
  });

export type Config = z.infer<typeof ConfigSchema>;

/** The configuration is wrong: the message names every bad variable, never their values. */
export class ConfigError extends CodedError {
  constructor(message: string) {
    super("CONFIG_INVALID", message);
  }
}

/** One readable line per zod issue: `VARIABLE: message`. */
function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
}

/** Parses the environment; throws a ConfigError listing every bad variable (values never shown). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) throw new ConfigError(`Invalid configuration:\n  ${describeIssues(result.error).join("\n  ")}`);
  return result.data;
}
