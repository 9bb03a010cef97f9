/** Runs the Slack app: `auth.test` for the bot's identity, then the HTTP receiver or a Socket Mode connection. */
import { HTTPReceiver, webApi, type App } from "@slack/bolt";
import type { Redis } from "ioredis";
import type { AnswerEngine } from "../../answer/engine.js";
import type { ActionContext } from "../../reminders/actions.js";
import type { Logger } from "../../shared/logger.js";
import type { HttpServer } from "../http-server.js";
import type { Service } from "../service.js";
import { createReceiver, createSlackApp, SLACK_EVENTS_PATH } from "./app.js";
import { SlackStore } from "./store.js";
import type { TurnLog } from "../turn-log.js";

export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  /** HTTP mode's port (0: any free port). */
  port: number;
  allowedTeams?: string[];
  /** How long a thread where the app answered is followed without mention. */
  threadTtlSeconds: number;
  pacingMs?: number;
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /** Redis key prefix (tests). */
  redisPrefix?: string;
}

export interface SlackService extends Service {
  /** The HTTP receiver's port once started (HTTP mode). */
  readonly port?: number;
}

/**
 * The Slack app as a service; nothing is called on Slack before `start()`. In HTTP mode with `shared`, its
 * receiver is a route of that server (one port for every channel of the process) instead of a server of its own.
 * With `pilots`, `/terrinclus milestones` and the milestone buttons act on the reminders.
 */
export function slackService(settings: SlackSettings, engine: AnswerEngine, redis: Redis, logger: Logger, shared?: HttpServer, pilots?: ActionContext, turns?: TurnLog): SlackService {
  let app: App | undefined;
  let ownServer = false;
  let port: number | undefined;
  return {
    get port() {
      return port;
    },
    async start() {
      const apiUrl = settings.apiUrl && (settings.apiUrl.endsWith("/") ? settings.apiUrl : `${settings.apiUrl}/`);
      const client = new webApi.WebClient(settings.botToken, { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 2 } });
      const identity = await client.auth.test();
      if (!identity.user_id) throw new Error("Slack auth.test did not name the bot user");
      const receiver = createReceiver({ logger, ...(settings.appToken ? { appToken: settings.appToken } : { signingSecret: settings.signingSecret }), ...(apiUrl ? { apiUrl } : {}) });
      app = createSlackApp(
        {
          engine,
          store: new SlackStore(redis, settings.threadTtlSeconds, settings.redisPrefix),
          logger,
          botToken: settings.botToken,
          botUserId: identity.user_id,
          ...(identity.bot_id ? { botId: identity.bot_id } : {}),
          ...(settings.signingSecret ? { signingSecret: settings.signingSecret } : {}),
          ...(settings.appToken ? { appToken: settings.appToken } : {}),
          ...(apiUrl ? { apiUrl } : {}),
          ...(settings.allowedTeams ? { allowedTeams: settings.allowedTeams } : {}),
          ...(settings.pacingMs !== undefined ? { pacingMs: settings.pacingMs } : {}),
          ...(settings.retryConfig ? { retryConfig: settings.retryConfig } : {}),
          ...(pilots ? { pilots } : {}),
          ...(turns ? { turns } : {}),
        },
        receiver,
      );
      if (settings.appToken) {
        await app.start();
        ownServer = true;
        logger.info({ team: identity.team, bot: identity.user }, "slack app connected in Socket Mode");
      } else if (shared && receiver instanceof HTTPReceiver) {
        shared.route(SLACK_EVENTS_PATH, receiver.requestListener);
        port = shared.port;
        logger.info({ team: identity.team, bot: identity.user, port, path: SLACK_EVENTS_PATH }, "slack app listening for events on the shared server");
      } else {
        ownServer = true;
        const server = (await app.start(settings.port)) as { address(): { port: number } | string | null };
        const address = server.address();
        port = typeof address === "object" && address ? address.port : settings.port;
        logger.info({ team: identity.team, bot: identity.user, port, path: SLACK_EVENTS_PATH }, "slack app listening for events");
      }
    },
    async stop() {
      if (app && ownServer) await app.stop();
      app = undefined;
    },
  };
}
