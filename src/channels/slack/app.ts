/** The Slack adapter (Bolt): routes events, slash commands and buttons to the answer engine; nothing slow before `ack()`. */
import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from "@slack/bolt";
import type { AnswerEngine } from "../../answer/engine.js";
import type { ActionContext } from "../../reminders/actions.js";
import type { Logger } from "../../shared/logger.js";
import { boltLogger } from "./bolt-logger.js";
import type { SlackDeps } from "./context.js";
import { teamOf } from "./incoming.js";
import { onAction } from "./on-action.js";
import { onCommand } from "./on-command.js";
import { onMessage } from "./on-message.js";
import { onPilotAction } from "./on-pilot-action.js";
import { PILOT_ACTION_ID } from "./pilot-action.js";
import { SlackPoster } from "./poster.js";
import { TurnLog, type Turn } from "../turn-log.js";
import type { SlackStore } from "./store.js";

export interface SlackAppOptions {
  engine: AnswerEngine;
  store: SlackStore;
  logger: Logger;
  botToken: string;
  /** The bot's identity, from `auth.test` (Bolt then calls nothing at start-up). */
  botUserId: string;
  botId?: string;
  /** HTTP mode: requests to POST /slack/events are checked against it. */
  signingSecret?: string;
  /** Socket Mode (xapp-…): no public URL needed. */
  appToken?: string;
  /** Another Web API server (tests, proxies), ending with `/api/`. */
  apiUrl?: string;
  /** Workspaces allowed to use the app (all when absent). */
  allowedTeams?: string[];
  /** Minimum gap between two messages to one channel, in ms (default 1000). */
  pacingMs?: number;
  /** Web API client retries (network errors, and `ratelimited` after Retry-After). */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /** The pilots' reminders (store and queue), for `/terrinclus milestones` and the milestone buttons. */
  pilots?: ActionContext;
  /** Logs each event, command and button and counts those in progress (shared by the process's channels). */
  turns?: TurnLog;
}

/**
 * Web API calls: a call without an answer is abandoned after 15 s (the client's default waits forever) and
 * retried at most 5 times over about 25 s (its default retries for about 30 minutes): a short Slack outage is
 * ridden out, a long one does not hold a reply for long.
 */
const API_TIMEOUT_MS = 15_000;
const API_RETRIES = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 10_000 };

export const SLACK_EVENTS_PATH = "/slack/events";
const SLASH_COMMAND = "/terrinclus";

/** The Bolt app with its receiver (by default: HTTP with the signing secret, or Socket Mode with the app token). */
export function createSlackApp(options: SlackAppOptions, receiver: Receiver = createReceiver(options)): App {
  const { logger } = options;
  const clientOptions = { timeout: API_TIMEOUT_MS, retryConfig: options.retryConfig ?? API_RETRIES, ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}) };
  const turns = options.turns ?? new TurnLog(logger);
  const app = new App({
    token: options.botToken,
    botUserId: options.botUserId,
    ...(options.botId ? { botId: options.botId } : {}),
    tokenVerificationEnabled: false,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
  });
  const deps: SlackDeps = {
    engine: options.engine,
    store: options.store,
    poster: new SlackPoster(app.client, options.pacingMs ?? 1000),
    logger,
    botUserId: options.botUserId,
    ...(options.pilots ? { pilots: options.pilots } : {}),
  };
  const allowed = options.allowedTeams?.length ? new Set(options.allowedTeams) : undefined;

  // Access first: a workspace that is not allowed gets nothing but the acknowledgement Slack requires.
  app.use(async (args) => {
    const team = teamOf(args.body);
    if (allowed && (!team || !allowed.has(team))) {
      logger.warn({ team: team ?? null, type: (args.body as { type?: string }).type }, "slack request from a workspace that is not allowed: refused");
      if ("ack" in args && typeof args.ack === "function") await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  });

  // Then one log line per request, once its listeners are done (Bolt's next() waits for them).
  app.use(async (args) => {
    const turn = turns.begin({ channel: "slack", ...requestIdentity(args.body) });
    args.context.turn = turn;
    try {
      await args.next();
      turn.end();
    } catch (error) {
      turn.end(error);
      throw error;
    }
  });

  const messageListener = async ({ event, body, context }: { event: unknown; body: unknown; context: Record<string, unknown> }) => {
    const team = teamOf(body) ?? "";
    await onMessage(deps, team, (body as { event_id?: string }).event_id, event, context.turn as Turn | undefined);
  };
  app.event("app_mention", messageListener);
  app.event("message", messageListener);

  app.command(SLASH_COMMAND, async ({ ack, command, respond }) => {
    await ack();
    await onCommand(deps, { team: command.team_id, user: command.user_id, channel: command.channel_id, text: command.text }, respond);
  });

  app.action(/^terrinclus:/, async ({ ack, body, respond }) => {
    await ack();
    await onAction(deps, teamOf(body) ?? "", body, respond);
  });

  app.action(PILOT_ACTION_ID, async ({ ack, body, respond }) => {
    await ack();
    await onPilotAction(deps, teamOf(body) ?? "", body, respond);
  });

  app.error(async (error) => {
    logger.error({ err: error.message, code: (error as { code?: string }).code }, "slack listener failed");
  });
  return app;
}

/** The id and kind of a request for its log line: an event's id and type, a command's or a button's trigger. */
function requestIdentity(body: unknown): { id: string | undefined; kind: string } {
  const b = body as { event_id?: string; event?: { type?: string }; type?: string; command?: string; trigger_id?: string };
  if (b.event_id || b.event) return { id: b.event_id, kind: b.event?.type ?? "event" };
  if (b.command) return { id: b.trigger_id, kind: `command ${b.command.slice(0, 32)}` };
  return { id: b.trigger_id, kind: b.type === "block_actions" ? "button" : (b.type ?? "unknown").slice(0, 32) };
}

/** Socket Mode when an app token is given, else the HTTP receiver at POST /slack/events (signatures checked). */
export function createReceiver(options: Pick<SlackAppOptions, "appToken" | "signingSecret" | "apiUrl" | "logger">): Receiver {
  const logger = boltLogger(options.logger);
  if (options.appToken) {
    return new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} } });
  }
  if (!options.signingSecret) throw new Error("SLACK_SIGNING_SECRET is not set (required without SLACK_APP_TOKEN).");
  return new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    processBeforeResponse: false,
    customRoutes: [{ path: "/healthz", method: ["GET"], handler: (_req, res) => void res.writeHead(200).end("ok") }],
  });
}
