/** Telegram `/milestones` and the reminder buttons, end to end: the real bot, the local Bot API server, real Redis and BullMQ. */
import { run, type RunnerHandle } from "@grammyjs/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import { COMMANDS, createTelegramBot, registerCommands } from "../../src/channels/telegram/bot.js";
import { decodeReminderCallback, encodeReminderCallback, TelegramNotifier } from "../../src/channels/telegram/reminders.js";
import { reminderMessage } from "../../src/reminders/message.js";
import { milestoneReminders } from "../../src/reminders/schedule.js";
import { milestoneRef } from "../../src/reminders/store.js";
import { syncQueue } from "../../src/reminders/sync.js";
import { createLogger } from "../../src/shared/logger.js";
import { testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";
import { FakeTelegram, type ChatRef, type UserRef } from "../support/telegram-server.js";
import { isolatedQueue, plan, sheets } from "../reminders/helpers.js";

const db = useTestRedis("telegram-milestones");
const TEAM: ChatRef = { id: -100700701, type: "supergroup" };
const STRANGER: ChatRef = { id: -100700702, type: "supergroup" };
const OTHER_TEAM: ChatRef = { id: -100700703, type: "supergroup" };
const awa: UserRef = { id: 7001, first_name: "Awa", language_code: "fr" };
const john: UserRef = { id: 7002, first_name: "John", language_code: "en" };

const pilot = plan({
  id: "tg-ms-pilot",
  name: "Coopération Dakar",
  timezone: "Africa/Casablanca",
  channels: { telegram: [TEAM.id], slack: [] },
  milestones: [
    { id: "diagnostic", title: "Diagnostic partagé validé", due: "2030-02-15", sheet: "diagnostic-partage" },
    { id: "copil-1", title: "Premier comité de pilotage", due: "2030-03-10T14:30:00", sheet: "gouvernance-pilotage", owner: "Service international" },
    { id: "old", title: "Jalon passé", due: "2020-01-10", sheet: "indicateurs" },
  ],
});
const otherPilot = plan({ id: "tg-ms-other", name: "Autre pilote", channels: { telegram: [OTHER_TEAM.id], slack: [] }, milestones: [{ id: "convention", title: "Convention signée", due: "2030-05-01", sheet: "diagnostic-partage" }] });

describe("Telegram: /milestones and the reminder buttons", () => {
  let fake: FakeTelegram;
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  let runner: RunnerHandle;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    for (const chat of [TEAM, STRANGER, OTHER_TEAM]) fake.addChat(chat.id, "supergroup", { title: `Chat ${chat.id}` });
    q = await isolatedQueue("tg-milestones");
    await syncQueue({ queue: q.queue, store: q.store, plans: [pilot, otherPilot] });
    const bot = createTelegramBot({
      token: fake.token,
      engine: await testEngine({ conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`) }),
      apiRoot: fake.apiRoot,
      logger: createLogger("silent"),
      pacing: { private: 0, group: 0 },
      pilots: { queue: q.queue, store: q.store },
    });
    await bot.init();
    await registerCommands(bot);
    runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  });
  afterAll(async () => {
    if (runner?.isRunning()) await runner.stop();
    await fake?.close();
    await q?.cleanup();
  });

  const last = (chat: ChatRef) => fake.sent(chat.id).at(-1);
  const press = async (chat: ChatRef, from: UserRef, message: unknown, data: string) => {
    const before = fake.callbackAnswers.length;
    fake.clickButton(chat, from, message, data);
    await fake.waitFor(() => fake.callbackAnswers.length > before, 10_000);
    return fake.callbackAnswers.at(-1)!.text ?? "";
  };
  const queued = async (milestoneId: string) => {
    const m = pilot.milestones.find((x) => x.id === milestoneId)!;
    const jobs = await Promise.all(milestoneReminders(pilot, m).map((r) => q.queue.getJob(r.jobId)));
    return jobs.filter(Boolean).length;
  };

  it("is in the menu in French and English", () => {
    expect(COMMANDS.fr.map((c) => c.command)).toEqual(COMMANDS.en.map((c) => c.command));
    expect(fake.commandsFor(undefined, "fr")?.map((c) => c.command)).toContain("milestones");
    expect(fake.commandsFor(undefined, "en")?.find((c) => c.command === "milestones")?.description).toMatch(/milestones/i);
  });

  it("lists only this chat's pilots' upcoming milestones, in the pilot's local time, with buttons", async () => {
    fake.sendText(TEAM, awa, "/milestones");
    await fake.waitFor(() => fake.sent(TEAM.id).length >= 1, 10_000);
    const list = last(TEAM);
    expect(list.text).toMatch(/Prochains jalons/);
    expect(list.text).toContain("Coopération Dakar");
    expect(list.text).toMatch(/Diagnostic partagé validé — vendredi 15 février 2030/);
    expect(list.text).toMatch(/Premier comité de pilotage — dimanche 10 mars 2030, 14:30 \(Africa\/Casablanca\)/);
    expect(list.text).toContain("Service international");
    expect(list.text).not.toContain("Jalon passé");
    expect(list.text).not.toContain("Convention signée");
    const data = list.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data);
    expect(data).toEqual(
      ["diagnostic", "copil-1"].flatMap((id) => [encodeReminderCallback("done", milestoneRef(pilot.id, id)), encodeReminderCallback("snooze-day", milestoneRef(pilot.id, id)), encodeReminderCallback("snooze-week", milestoneRef(pilot.id, id))]),
    );
    // /jalons is the same command; a chat in no plan is told how to add it.
    fake.sendText(STRANGER, awa, "/jalons");
    await fake.waitFor(() => fake.sent(STRANGER.id).length >= 1, 10_000);
    expect(last(STRANGER).text).toMatch(/aucun plan de pilote/);
  });

  it("done cancels the milestone's reminders; snooze reschedules; answers in the user's language", async () => {
    expect(await queued("diagnostic")).toBeGreaterThan(0);
    const list = fake.sent(TEAM.id).find((m) => /Prochains jalons/.test(m.text));
    const ref = (id: string) => milestoneRef(pilot.id, id);

    expect(await press(TEAM, awa, list, encodeReminderCallback("done", ref("diagnostic")))).toMatch(/^✅ « Diagnostic partagé validé » est fait : ses rappels sont annulés\.$/);
    expect(await queued("diagnostic")).toBe(0);
    expect((await q.store.milestoneState(pilot.id, "diagnostic")).done).toMatchObject({ by: { platform: "telegram", id: String(TEAM.id), user: String(awa.id) } });
    expect(await press(TEAM, awa, list, encodeReminderCallback("done", ref("diagnostic")))).toMatch(/déjà marqué comme fait/);

    const before = Date.now();
    expect(await press(TEAM, john, list, encodeReminderCallback("snooze-week", ref("copil-1")))).toMatch(/^⏰ "Premier comité de pilotage": next reminder .*2\d\d\d, \d\d:\d\d \(Africa\/Casablanca\)\.$/);
    const state = await q.store.milestoneState(pilot.id, "copil-1");
    expect(state.snooze!.until - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    expect(state.snooze!.until - before).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000 + 5000);
    const week = await q.queue.getJob(state.snooze!.jobId);
    expect(week?.name).toBe("snooze");
    // A second snooze replaces the first.
    await press(TEAM, awa, list, encodeReminderCallback("snooze-day", ref("copil-1")));
    const day = await q.store.milestoneState(pilot.id, "copil-1");
    expect(day.snooze!.until - Date.now()).toBeLessThanOrEqual(86_400_000 + 3_600_000);
    expect(await q.queue.getJob(state.snooze!.jobId)).toBeUndefined();
    expect((await q.queue.getJob(day.snooze!.jobId))?.data).toMatchObject({ pilotId: pilot.id, milestoneId: "copil-1", fireAt: day.snooze!.until });

    // The list now leaves the done milestone out and shows the snooze.
    fake.sendText(TEAM, awa, "/milestones");
    await fake.waitFor(() => fake.sent(TEAM.id).filter((m) => /Prochains jalons/.test(m.text)).length === 2, 10_000);
    expect(last(TEAM).text).not.toContain("Diagnostic partagé validé");
    expect(last(TEAM).text).toMatch(/Premier comité de pilotage .*rappel reporté au/);
  });

  it("refuses a chat that is not one of the pilot's, and reads only well-formed reminder payloads", async () => {
    for (const bad of ["ms:x:abc", "ms:d:", "ms:d:a/b", "ms:d:abc:extra", `ms:d:${"a".repeat(61)}`, "fb:1:abc"]) expect(decodeReminderCallback(bad)).toBeUndefined();
    expect(decodeReminderCallback("ms:s7:AbC_-9")).toEqual({ action: "snooze-week", ref: "AbC_-9" });
    // The pilot's reminder, as the worker posts it, but in another chat (forwarded, or a plan that changed).
    const copil = pilot.milestones.find((m) => m.id === "copil-1")!;
    const message = reminderMessage(pilot, copil, await sheets(), Date.now(), { ref: milestoneRef(pilot.id, "copil-1"), reminderId: "r.test" });
    const notifier = new TelegramNotifier(fake.token, fake.apiRoot);
    for (const chat of [STRANGER, OTHER_TEAM]) await notifier.notify({ platform: "telegram", id: String(chat.id) }, message);
    const stateBefore = await q.store.milestoneState(pilot.id, "copil-1");
    for (const chat of [STRANGER, OTHER_TEAM]) {
      const reminder = last(chat);
      expect(await press(chat, awa, reminder, encodeReminderCallback("done", milestoneRef(pilot.id, "copil-1")))).toBe("Seules les conversations de ce pilote peuvent agir sur ses jalons.");
      expect(await press(chat, john, reminder, encodeReminderCallback("snooze-day", milestoneRef(pilot.id, "copil-1")))).toBe("Only this pilot's chats can act on its milestones.");
    }
    expect(await q.store.milestoneState(pilot.id, "copil-1")).toEqual(stateBefore);
    expect(await queued("copil-1")).toBeGreaterThan(0);
  });
});
