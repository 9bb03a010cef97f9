/**
 * Posts to Slack at about one message per second per channel (Slack's guidance for chat.postMessage);
 * `ratelimited` answers are retried after their Retry-After by the Web API client itself.
 */
import type { webApi } from "@slack/bolt";
import { platformErrorKind, platformErrorsTotal } from "../../shared/metrics.js";
import type { SlackMessage } from "./blocks.js";

type WebClient = webApi.WebClient;

/** Posts the app's messages (threaded or ephemeral), paced per channel, counting failed calls in the metrics. */
export class SlackPoster {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly client: WebClient,
    /** Minimum gap between two messages to one channel, in ms. */
    private readonly intervalMs = 1000,
  ) {}

  /** Posts messages in order, in a thread when `threadTs` is set; returns their ts. */
  async post(channel: string, threadTs: string | undefined, messages: SlackMessage[]): Promise<string[]> {
    const posted: string[] = [];
    for (const message of messages) {
      await this.pace(channel);
      const result = await counted(
        "chat.postMessage",
        this.client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false }),
      );
      if (result.ts) posted.push(result.ts);
    }
    return posted;
  }

  /** A message only `user` sees, in the thread when given. */
  async ephemeral(channel: string, user: string, threadTs: string | undefined, message: SlackMessage): Promise<void> {
    await counted("chat.postEphemeral", this.client.chat.postEphemeral({ channel, user, ...(threadTs ? { thread_ts: threadTs } : {}), text: message.text, blocks: message.blocks }));
  }

  private async pace(channel: string): Promise<void> {
    if (this.intervalMs <= 0) return;
    const now = Date.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + this.intervalMs);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    if (this.next.size > 10_000) for (const [key, t] of this.next) if (t < Date.now()) this.next.delete(key);
  }
}

/** Counts a call that failed after the client's own retries (an API error, an HTTP error, or no answer). */
async function counted<T>(method: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const { code, statusCode } = error as { code?: string; statusCode?: number };
    const status = code === "slack_webapi_platform_error" ? 400 : code === "slack_webapi_rate_limited_error" ? 429 : statusCode;
    platformErrorsTotal.inc({ platform: "slack", method, kind: platformErrorKind(status) });
    throw error;
  }
}
