/** What every Slack handler needs: the engine, the shared store, the poster, the app's identity, the logger and the pilots' reminders. */
import type { AnswerEngine } from "../../answer/engine.js";
import type { ActionContext } from "../../reminders/actions.js";
import type { Lang } from "../../shared/lang.js";
import type { Logger } from "../../shared/logger.js";
import type { SlackPoster } from "./poster.js";
import type { SlackStore } from "./store.js";

export interface SlackDeps {
  engine: AnswerEngine;
  store: SlackStore;
  poster: SlackPoster;
  logger: Logger;
  /** The app's bot user (its mention is `<@botUserId>`). */
  botUserId: string;
  /** The pilots' reminders (store and queue), for `/terrinclus milestones` and the milestone buttons. */
  pilots?: ActionContext;
}

/** The conversation holding a user's `/terrinclus lang` choice. */
export function userPreferences(team: string, user: string): string {
  return `slack:${team}:user:${user}`;
}

/** The user's chosen language, or undefined (each question's own language then decides). */
export async function chosenLanguage(deps: SlackDeps, team: string, user: string): Promise<Lang | undefined> {
  return deps.engine.preferredLanguage(userPreferences(team, user)).catch(() => undefined);
}
