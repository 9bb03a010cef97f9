import type { Worker } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { classifyTelegramError, decodeReminderCallback, TelegramNotifier } from "../../src/channels/telegram/reminders.js";
import { Api } from "grammy";
import { snooze } from "../../src/reminders/actions.js";
import type { Notifier } from "../../src/reminders/notifier.js";
import type { Plan } from "../../src/reminders/plan.js";
import { syncQueue } from "../../src/reminders/sync.js";
import { startReminderWorker } from "../../src/reminders/worker.js";
import { milestoneRef } from "../../src/reminders/store.js";
import { FakeTelegram } from "../support/telegram-server.js";
import { isolatedQueue, localIn, logger, plan, sheets, sleep, until } from "./helpers.js";

const CHAT_A = -100111;
const CHAT_B = -100222;
const RATES = { telegram: { perChatIntervalMs: 100, perSecond: 30 }, slack: { perChatIntervalMs: 100, perSecond: 50 } };

describe("reminder delivery through the local Bot API server", () => {
  let fake: FakeTelegram;
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  const workers: Worker[] = [];

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    fake.addChat(CHAT_A, "supergroup");
    fake.addChat(CHAT_B, "supergroup");
    q = await isolatedQueue("delivery");
  });
  const seen = new Map<number, number>();
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await q.queue.obliterate({ force: true });
    fake.calls.length = 0;
    for (const chat of [CHAT_A, CHAT_B]) seen.set(chat, fake.sent(chat).length);
  });
  afterAll(async () => {
    await q.cleanup();
    await fake.close();
  });

  const worker = async (notifier: Notifier = new TelegramNotifier(fake.token, fake.apiRoot), extra: { lockDurationMs?: number } = {}) => {
    const w = startReminderWorker({ connection: q.redis, prefix: q.prefix, store: q.store, sheets: await sheets(), notifiers: { telegram: notifier }, logger, concurrency: 5, rates: RATES, ...extra });
    await w.waitUntilReady();
    workers.push(w);
    return w;
  };
  const sync = (plans: Plan[]) => syncQueue({ queue: q.queue, store: q.store, plans, jobs: { retryDelayMs: 100, attempts: 5 } });
  /** Messages this test sent to `chat`. */
  const sentTo = (chat: number) => fake.sent(chat).slice(seen.get(chat) ?? 0);

  it("posts the reminder with the kit sheet's summary and checklist, the due date, days left and three buttons", async () => {
    const p = plan({
      id: "deliv-one",
      channels: { telegram: [CHAT_A], slack: [] },
      remind: ["PT1S"],
      milestones: [{ id: "copil-1", title: "Premier comité de pilotage", due: localIn(2600), sheet: "gouvernance-pilotage", owner: "Service international" }],
    });
    await sync([p]);
    const started = Date.now();
    await worker();
    await until(() => sentTo(CHAT_A).length === 1, 8000, "the reminder");
    const message = sentTo(CHAT_A)[0];
    expect(message.text).toMatch(/Premier comité de pilotage/);
    expect(message.text).toMatch(/Échéance : .*2\d\d\d, \d\d:\d\d \(Europe\/Paris\) — aujourd'hui/);
    expect(message.text).toMatch(/Responsable : Service international/);
    expect(message.text).toContain((await sheets()).get("gouvernance-pilotage", "fr")!.title);
    expect(message.text).toMatch(/À vérifier \(fiche du kit\)\n☐ /);
    const buttons = message.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => decodeReminderCallback(b.callback_data));
    expect(buttons).toEqual([
      { action: "done", ref: milestoneRef(p.id, "copil-1") },
      { action: "snooze-day", ref: milestoneRef(p.id, "copil-1") },
      { action: "snooze-week", ref: milestoneRef(p.id, "copil-1") },
    ]);
    expect(await q.store.resolveRef(milestoneRef(p.id, "copil-1"))).toEqual({ pilotId: p.id, milestoneId: "copil-1" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("with two workers, each reminder reaches each channel once, paced per chat", async () => {
    const due = localIn(2600);
    const milestones = Array.from({ length: 6 }, (_, i) => ({ id: `m-${i}`, title: `Jalon ${i}`, due, sheet: "indicateurs" }));
    const p = plan({ id: "deliv-two", channels: { telegram: [CHAT_A, CHAT_B], slack: [] }, remind: ["PT1S"], milestones });
    await sync([p]);
    await Promise.all([worker(), worker()]);
    await until(() => sentTo(CHAT_A).length + sentTo(CHAT_B).length >= 12, 10_000, "12 messages");
    await sleep(400);
    for (const chat of [CHAT_A, CHAT_B]) {
      const texts = sentTo(chat)
        .map((m) => /Jalon \d/.exec(m.text)![0])
        .sort();
      expect(texts).toEqual(milestones.map((m) => m.title).sort());
      const times = fake.calls
        .filter((c) => c.method === "sendMessage" && Number(c.body.chat_id) === chat)
        .map((c) => c.at)
        .sort((a, b) => a - b);
      // Slots are taken 100 ms apart; arrivals at the server jitter with request latency, so the span is checked.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5 * 100 * 0.8);
    }
  });

  it("retries a 429 after retry_after, and does not retry a chat that does not exist (recorded for status)", async () => {
    const missing = -100999;
    const p = plan({ id: "deliv-err", channels: { telegram: [CHAT_A, missing], slack: [] }, remind: ["PT1S"], milestones: [{ id: "m", title: "Rapport annuel", due: localIn(2600), sheet: "mise-en-oeuvre" }] });
    await sync([p]);
    fake.floodWait("sendMessage", 1, 1);
    await worker();
    await until(() => sentTo(CHAT_A).length === 1, 10_000, "the retried send");
    const attempts = fake.calls.filter((c) => c.method === "sendMessage");
    const limited = attempts.find((c) => c.status === 429)!;
    const accepted = attempts.find((c) => c.status === 200)!;
    expect(accepted.at - limited.at).toBeGreaterThanOrEqual(1000);
    await sleep(300);
    expect(attempts.filter((c) => Number(c.body.chat_id) === missing)).toHaveLength(1);
    const failures = await q.store.failures(p.id);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ milestoneId: "m", channel: { platform: "telegram", id: String(missing) }, message: expect.stringMatching(/chat not found/) });
  });

  it("classifies network failures as transient and a blocked bot as permanent", async () => {
    const api = new Api(fake.token, { apiRoot: "http://127.0.0.1:1" });
    const network = await api.sendMessage(CHAT_A, "x").catch((e: unknown) => classifyTelegramError(e));
    expect(network).toMatchObject({ kind: "transient" });
    const { GrammyError } = await import("grammy");
    const blocked = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }, "sendMessage", {});
    expect(classifyTelegramError(blocked)).toMatchObject({ kind: "permanent" });
    const server = new GrammyError("x", { ok: false, error_code: 502, description: "Bad Gateway" }, "sendMessage", {});
    expect(classifyTelegramError(server)).toMatchObject({ kind: "transient" });
  });

  it("skips a done milestone's due reminder, and a snooze reminds again", async () => {
    const p = plan({
      id: "deliv-snooze",
      channels: { telegram: [CHAT_B], slack: [] },
      remind: ["PT1S"],
      milestones: [
        { id: "fait", title: "Déjà fait", due: localIn(1800), sheet: "capitalisation" },
        { id: "plus-tard", title: "Plus tard", due: localIn(600_000), sheet: "capitalisation" },
      ],
    });
    await sync([p]);
    await q.store.setMilestoneState(p.id, "fait", { done: { at: Date.now() } }); // done in another chat after the sync
    await worker();
    const before = sentTo(CHAT_B).length;
    const snoozed = await snooze({ queue: q.queue, store: q.store, jobs: { retryDelayMs: 100 } }, p.id, "plus-tard", "PT1S", { platform: "telegram", id: String(CHAT_B) });
    expect(snoozed.ok).toBe(true);
    await until(() => sentTo(CHAT_B).length === before + 1, 8000, "the snoozed reminder");
    await sleep(1200);
    expect(
      sentTo(CHAT_B)
        .slice(before)
        .map((m) => /Plus tard|Déjà fait/.exec(m.text)![0]),
    ).toEqual(["Plus tard"]);
  });

  it("loses nothing when a worker dies in the middle of a delivery", async () => {
    let hang = true;
    const real = new TelegramNotifier(fake.token, fake.apiRoot);
    // The first worker's platform call never returns, as if the process froze before sending.
    const frozen: Notifier = { platform: "telegram", notify: (c, m) => (hang ? new Promise(() => undefined) : real.notify(c, m)) };
    const p = plan({ id: "deliv-kill", channels: { telegram: [CHAT_A], slack: [] }, remind: ["PT1S"], milestones: [{ id: "m", title: "Survit", due: localIn(2600), sheet: "indicateurs" }] });
    await sync([p]);
    const first = await worker(frozen, { lockDurationMs: 600 });
    await until(async () => (await q.queue.getActiveCount()) === 1, 8000, `the job to start (${JSON.stringify(await q.queue.getJobCounts())})`);
    hang = false;
    void first.close(true); // killed: its lock is no longer renewed
    workers.splice(workers.indexOf(first), 1);
    await worker(real, { lockDurationMs: 600 });
    await until(() => sentTo(CHAT_A).some((m) => /Survit/.test(m.text)), 10_000, "the recovered reminder");
    await sleep(300);
    expect(sentTo(CHAT_A).filter((m) => /Survit/.test(m.text))).toHaveLength(1);
  });
});
