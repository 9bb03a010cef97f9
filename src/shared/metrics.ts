/**
 * The process's Prometheus metrics (prom-client), one registry per process: questions answered and refused,
 * answer latency, feedback, reminders sent, failed and their lateness, and the reminders' queue depth (read
 * from the queue when the metrics are scraped). Knows no HTTP: the channels' server serves `metricsText()`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "terrinclus_" });

export const questionsTotal = new Counter({
  name: "terrinclus_questions_total",
  help: "Questions handled, by channel, reply language and outcome (answered or refused)",
  labelNames: ["channel", "lang", "outcome"] as const,
  registers: [registry],
});

export const answerSeconds = new Histogram({
  name: "terrinclus_answer_duration_seconds",
  help: "Time to answer a question, by channel",
  labelNames: ["channel"] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

export const feedbackTotal = new Counter({
  name: "terrinclus_feedback_total",
  help: "Feedback on answers, by channel and rating (useful or not_useful; unknown answers are not counted)",
  labelNames: ["channel", "rating"] as const,
  registers: [registry],
});

export const remindersScheduledTotal = new Counter({
  name: "terrinclus_reminders_scheduled_total",
  help: "Reminder, snooze and digest jobs added to the queue by this process",
  labelNames: ["kind"] as const,
  registers: [registry],
});

export const remindersSentTotal = new Counter({
  name: "terrinclus_reminders_sent_total",
  help: "Reminder messages accepted by a platform, by platform",
  labelNames: ["platform"] as const,
  registers: [registry],
});

export const remindersFailedTotal = new Counter({
  name: "terrinclus_reminders_failed_total",
  help: "Reminder deliveries that failed, by platform and kind (transient: retried; permanent: not retried)",
  labelNames: ["platform", "kind"] as const,
  registers: [registry],
});

export const reminderLatenessSeconds = new Histogram({
  name: "terrinclus_reminder_lateness_seconds",
  help: "Delay between a reminder's due time and its delivery",
  buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
  registers: [registry],
});

export const platformErrorsTotal = new Counter({
  name: "terrinclus_platform_errors_total",
  help: "Chat platform API calls that failed (Telegram: each attempt; Slack: calls still failing after the Web API client's retries; kind: rejected 4xx, server 5xx, rate_limited 429, network: no answer or timeout)",
  labelNames: ["platform", "method", "kind"] as const,
  registers: [registry],
});

/** The kind of a failed platform call, from its HTTP or API error code (undefined: no answer). */
export function platformErrorKind(status: number | undefined): "rejected" | "server" | "rate_limited" | "network" {
  if (status === undefined) return "network";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "server" : "rejected";
}

/** What the queue-depth gauge reads at scrape time (BullMQ's `Queue.getJobCounts`). */
export interface QueueCounts {
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

let queueSource: QueueCounts | undefined;

/** The queue whose depth `/metrics` reports (undefined: none in this process). */
export function setMetricsQueue(queue: QueueCounts | undefined): void {
  queueSource = queue;
}

const QUEUE_STATES = ["waiting", "delayed", "active", "failed", "prioritized"] as const;

new Gauge({
  name: "terrinclus_reminders_queue_jobs",
  help: "Jobs in the reminders' queue by state (read when scraped; delayed: scheduled reminders not yet due)",
  labelNames: ["state"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!queueSource) return;
    const counts = await withTimeout(queueSource.getJobCounts(...QUEUE_STATES), 1000).catch(() => undefined);
    if (!counts) return;
    for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
  },
});

/** Records one reply of the engine. */
export function recordAnswer(channel: string, lang: string, answered: boolean, seconds: number): void {
  questionsTotal.inc({ channel, lang, outcome: answered ? "answered" : "refused" });
  answerSeconds.observe({ channel }, seconds);
}

/** The metrics in Prometheus' text format, with its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** Rejects after `ms` (a Redis that is gone must not hang a probe). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
