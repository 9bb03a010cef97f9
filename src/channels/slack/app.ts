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
}

export const SLACK_EVENTS_PATH = "/slack/events";
export const SLASH_COMMAND = "/terrinclus";

/** The Bolt app with its receiver (by default: HTTP with the signing secret, or Socket Mode with the app token). */
export function createSlackApp(options: SlackAppOptions, receiver: Receiver = createReceiver(options)): App {
  const { logger } = options;
  const clientOptions = { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}) };
  const app = new App({
    token: options.botToken,
    botUserId: options.botUserId,
    ...(options.botId ? { botId: options.botId } : {}),
    tokenVerificationEnabled: false,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
  });
  const deps: SlackDeps = { engine: options.engine, store: options.store, poster: new SlackPoster(app.client, options.pacingMs ?? 1000), logger, botUserId: options.botUserId, ...(options.pilots ? { pilots: options.pilots } : {}) };
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

  const messageListener = async ({ event, body }: { event: unknown; body: unknown }) => {
    const team = teamOf(body) ?? "";
    await onMessage(deps, team, (body as { event_id?: string }).event_id, event);
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
