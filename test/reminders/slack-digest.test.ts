import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackNotifier } from "../../src/channels/slack/reminders.js";
import { syncQueue } from "../../src/reminders/sync.js";
import { startReminderWorker } from "../../src/reminders/worker.js";
import { milestoneRef } from "../../src/reminders/store.js";
import { FakeSlack } from "../support/slack-server.js";
import { isolatedQueue, localIn, logger, plan, sheets, sleep, until } from "./helpers.js";

const RATES = { telegram: { perChatIntervalMs: 100, perSecond: 30 }, slack: { perChatIntervalMs: 100, perSecond: 50 } };

describe("Slack delivery and the weekly digest", () => {
  let slack: FakeSlack;
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  let worker: Worker;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    q = await isolatedQueue("slack");
    const notifier = new SlackNotifier(slack.botToken, slack.apiUrl);
    worker = startReminderWorker({ connection: q.redis, prefix: q.prefix, store: q.store, sheets: await sheets(), notifiers: { slack: notifier }, logger, rates: RATES });
    await worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker.close();
    await q.cleanup();
    await slack.close();
  });

  it("posts Block Kit reminders with buttons, retries ratelimited after Retry-After, and does not retry not_in_channel", async () => {
    slack.outside.add("C0OUTSIDE");
    const p = plan({
      id: "slack-a",
      lang: "en",
      channels: { telegram: [], slack: ["C0PILOT", "C0OUTSIDE"] },
      remind: ["PT1S"],
      milestones: [{ id: "review", title: "Mid-term review", due: localIn(2600), sheet: "suivi-evaluation" }],
    });
    await syncQueue({ queue: q.queue, store: q.store, plans: [p], jobs: { retryDelayMs: 100, attempts: 5 } });
    slack.rateLimit("chat.postMessage", 1, 1);
    await until(() => slack.messages("C0PILOT").length === 1, 10_000, "the Slack reminder");
    const post = slack.messages("C0PILOT")[0]!;
    expect(post.text).toMatch(/Mid-term review — .* \(today\)/);
    const actions = post.blocks.find((b: { type: string }) => b.type === "actions");
    expect(actions.elements.map((e: { action_id: string; value: string }) => [e.action_id, e.value])).toEqual([
      ["pilot_done", milestoneRef(p.id, "review")],
      ["pilot_snooze_day", milestoneRef(p.id, "review")],
      ["pilot_snooze_week", milestoneRef(p.id, "review")],
    ]);
    const calls = slack.calls.filter((c) => c.method === "chat.postMessage");
    const limited = calls.find((c) => c.status === 429)!;
    const accepted = calls.find((c) => c.status === 200 && c.body.channel === "C0PILOT")!;
    expect(accepted.at - limited.at).toBeGreaterThanOrEqual(1000);
    await sleep(300);
    expect(calls.filter((c) => c.body.channel === "C0OUTSIDE")).toHaveLength(1);
    expect((await q.store.failures(p.id)).map((f) => f.message)).toEqual(["not_in_channel"]);
  });

  it("the digest lists what is overdue and due within 14 days, done milestones left out", async () => {
    const p = plan({
      id: "slack-digest",
      channels: { telegram: [], slack: ["C0DIGEST"] },
      milestones: [
        { id: "late", title: "En retard", due: "2020-01-10", sheet: "indicateurs" },
        { id: "soon", title: "Bientôt", due: localIn(3 * 86_400_000).slice(0, 10), sheet: "indicateurs" },
        { id: "later", title: "Plus tard", due: localIn(40 * 86_400_000).slice(0, 10), sheet: "indicateurs" },
        { id: "done", title: "Terminé", due: localIn(2 * 86_400_000).slice(0, 10), sheet: "indicateurs" },
      ],
    });
    await syncQueue({ queue: q.queue, store: q.store, plans: [p] });
    await q.store.setMilestoneState(p.id, "done", { done: { at: Date.now() } });
    const scheduler = await q.queue.getJobScheduler("digest.slack-digest");
    expect([scheduler?.pattern, scheduler?.tz]).toEqual(["0 9 * * 1", "Europe/Paris"]);
    await q.queue.add("digest", { pilotId: p.id }); // what the scheduler produces on Monday 09:00
    await until(() => slack.messages("C0DIGEST").length === 1, 8000, "the digest");
    const text = slack.messages("C0DIGEST")[0]!.blocks[0].text.text as string;
    expect(text).toMatch(/Point de la semaine/);
    expect(text).toMatch(/\*En retard\*\n• En retard — .*\(en retard de \d+ jours\)/);
    expect(text).toMatch(/\*Dans les 14 prochains jours\*\n• Bientôt — .*\(dans 3 jours\)$/);
    expect(text).not.toMatch(/Plus tard|Terminé/);
  });
});
