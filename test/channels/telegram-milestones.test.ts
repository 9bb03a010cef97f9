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
const CMD: ChatRef = { id: -100700704, type: "supergroup" };
const MULTI: ChatRef = { id: -100700705, type: "supergroup" };
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
// For the typed commands: CMD belongs to one pilot, MULTI to two that both have an "evaluation" milestone.
const cmdPilot = plan({
  id: "tg-cmd-a",
  name: "Coopération Agadir",
  timezone: "Europe/Paris",
  channels: { telegram: [CMD.id, MULTI.id], slack: [] },
  milestones: [
    { id: "rapport-1", title: "Premier rapport annuel", due: "2030-06-01", sheet: "suivi-evaluation" },
    { id: "evaluation", title: "Évaluation à mi-parcours", due: "2030-09-01", sheet: "suivi-evaluation" },
  ],
});
const cmdPilotB = plan({
  id: "tg-cmd-b",
  name: "Coopération Mopti",
  channels: { telegram: [MULTI.id], slack: [] },
  milestones: [
    { id: "evaluation", title: "Évaluation finale", due: "2031-01-15", sheet: "suivi-evaluation" },
    { id: "capitalisation", title: "Capitalisation", due: "2031-03-01", sheet: "capitalisation" },
  ],
});
const otherPilot = plan({
  id: "tg-ms-other",
  name: "Autre pilote",
  channels: { telegram: [OTHER_TEAM.id], slack: [] },
  milestones: [{ id: "convention", title: "Convention signée", due: "2030-05-01", sheet: "diagnostic-partage" }],
});

describe("Telegram: /milestones and the reminder buttons", () => {
  let fake: FakeTelegram;
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  let runner: RunnerHandle;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    for (const chat of [TEAM, STRANGER, OTHER_TEAM, CMD, MULTI]) fake.addChat(chat.id, "supergroup", { title: `Chat ${chat.id}` });
    q = await isolatedQueue("tg-milestones");
    await syncQueue({ queue: q.queue, store: q.store, plans: [pilot, otherPilot, cmdPilot, cmdPilotB] });
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

  /** Types `text` in `chat`; resolves with the bot's answer. */
  const say = async (chat: ChatRef, from: UserRef, text: string): Promise<string> => {
    const before = fake.sent(chat.id).length;
    fake.sendText(chat, from, text);
    await fake.waitFor(() => fake.sent(chat.id).length > before, 10_000);
    return last(chat).text as string;
  };
  const queuedOf = async (p: typeof pilot, milestoneId: string) => {
    const jobs = await Promise.all(milestoneReminders(p, p.milestones.find((x) => x.id === milestoneId)!).map((r) => q.queue.getJob(r.jobId)));
    return jobs.filter(Boolean).length;
  };

  it("is in the menu in French and English", () => {
    expect(COMMANDS.fr.map((c) => c.command)).toEqual(COMMANDS.en.map((c) => c.command));
    for (const lang of ["fr", "en"]) expect(fake.commandsFor(undefined, lang)?.map((c) => c.command)).toEqual(expect.arrayContaining(["milestones", "done", "snooze"]));
    expect(fake.commandsFor(undefined, "en")?.find((c) => c.command === "snooze")?.description).toMatch(/1d\|1w/);
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
      ["diagnostic", "copil-1"].flatMap((id) => [
        encodeReminderCallback("done", milestoneRef(pilot.id, id)),
        encodeReminderCallback("snooze-day", milestoneRef(pilot.id, id)),
        encodeReminderCallback("snooze-week", milestoneRef(pilot.id, id)),
      ]),
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

  it("/done <milestone> cancels the remaining reminders and /snooze <milestone> 1d|1w reschedules (and /fait, /reporter)", async () => {
    expect(await queuedOf(cmdPilot, "rapport-1")).toBeGreaterThan(0);
    expect(await say(CMD, awa, "/done rapport-1")).toBe("✅ « Premier rapport annuel » est fait : ses rappels sont annulés.");
    expect(await queuedOf(cmdPilot, "rapport-1")).toBe(0);
    expect((await q.store.milestoneState(cmdPilot.id, "rapport-1")).done).toMatchObject({ by: { platform: "telegram", id: String(CMD.id), user: String(awa.id) } });
    expect(await say(CMD, awa, "/fait Rapport-1")).toBe("Ce jalon est déjà marqué comme fait.");

    const before = Date.now();
    expect(await say(CMD, john, "/snooze evaluation 1w")).toMatch(/^⏰ "Évaluation à mi-parcours": next reminder .*2\d\d\d, \d\d:\d\d \(Europe\/Paris\)\.$/);
    const week = await q.store.milestoneState(cmdPilot.id, "evaluation");
    expect(Math.abs(week.snooze!.until - before - 7 * 86_400_000)).toBeLessThan(5000);
    expect((await q.queue.getJob(week.snooze!.jobId))?.name).toBe("snooze");
    // The French alias with the French length; a second snooze replaces the first.
    expect(await say(CMD, awa, "/reporter evaluation 1j")).toMatch(/^⏰ « Évaluation à mi-parcours » : prochain rappel /);
    const day = await q.store.milestoneState(cmdPilot.id, "evaluation");
    expect(Math.abs(day.snooze!.until - Date.now() - 86_400_000)).toBeLessThan(5000);
    expect(await q.queue.getJob(week.snooze!.jobId)).toBeUndefined();
    expect((await q.queue.getJob(day.snooze!.jobId))?.data).toMatchObject({ pilotId: cmdPilot.id, milestoneId: "evaluation", fireAt: day.snooze!.until });
    expect(await queuedOf(cmdPilot, "evaluation")).toBeGreaterThan(0);
    // /help names the commands, right after /milestones.
    expect(await say(CMD, awa, "/help")).toContain(
      "/jalons) — prochains jalons des pilotes de cette conversation, avec les boutons fait / reporter\n/done <jalon> (ou /fait) — marquer un jalon comme fait : ses rappels sont annulés\n/snooze <jalon> 1d|1w (ou /reporter)",
    );
    // The command addressed to this bot by name works too.
    expect(await say(CMD, john, "/snooze@terrinclus_bot evaluation 1d")).toMatch(/^⏰ "Évaluation à mi-parcours"/);
  });

  it("a wrong, unknown or ambiguous milestone gets a message naming the chat's milestones; nothing changes", async () => {
    const stateBefore = await q.store.pilotState(cmdPilot.id);
    // Unknown: the open milestones of this chat are named (the done one is not).
    const unknown = await say(CMD, awa, "/done copil-9");
    expect(unknown).toBe("Aucun jalon « copil-9 » dans les plans de cette conversation.\nJalons ouverts de cette conversation :\n• evaluation — Évaluation à mi-parcours");
    expect(await say(CMD, john, "/done")).toBe("Write: /done <milestone>, for example /done evaluation\nOpen milestones of this chat:\n• evaluation — Évaluation à mi-parcours");
    expect(await say(CMD, john, "/done <b>x</b>")).toMatch(/^"<b>x<\/b>" is not a milestone: an id \(lowercase letters, digits, dashes\), or pilot\/milestone\.\nWrite: \/done <milestone>/);
    expect(await say(CMD, awa, "/snooze evaluation 3d")).toMatch(
      /^« 3d » n'est pas une durée de report : 1d ou 1w\.\nÉcrivez : \/snooze <jalon> 1d \(un jour\) ou 1w \(une semaine\), par exemple \/snooze evaluation 1w\n/,
    );
    expect(await say(CMD, awa, "/snooze evaluation")).toMatch(/^Écrivez : \/snooze <jalon> 1d/);
    expect(await q.store.pilotState(cmdPilot.id)).toEqual(stateBefore);

    // MULTI belongs to two pilots with an "evaluation": the command says how to name each.
    expect(await say(MULTI, john, "/done evaluation")).toBe(
      '"evaluation" is a milestone of several of this chat\'s pilots: say which one as pilot/milestone.\n• tg-cmd-a/evaluation — Évaluation à mi-parcours\n• tg-cmd-b/evaluation — Évaluation finale',
    );
    expect((await q.store.milestoneState(cmdPilotB.id, "evaluation")).done).toBeUndefined();
    // The list of an unknown name uses the qualified names where needed, earliest due first.
    expect(await say(MULTI, john, "/done nope")).toBe(
      'No milestone "nope" in this chat\'s plans.\nOpen milestones of this chat:\n• tg-cmd-a/evaluation — Évaluation à mi-parcours\n• tg-cmd-b/evaluation — Évaluation finale\n• capitalisation — Capitalisation',
    );
    expect(await say(MULTI, john, "/done tg-cmd-b/evaluation")).toBe('✅ "Évaluation finale" is done: its reminders are cancelled.');
    expect(await queuedOf(cmdPilotB, "evaluation")).toBe(0);
    expect((await q.store.milestoneState(cmdPilot.id, "evaluation")).done).toBeUndefined();
    expect(await queuedOf(cmdPilot, "evaluation")).toBeGreaterThan(0);
  });

  it("refuses a typed command from a chat outside the pilot's plan", async () => {
    const stateA = await q.store.pilotState(cmdPilot.id);
    const stateB = await q.store.pilotState(cmdPilotB.id);
    // A chat in no plan: told how to add it.
    expect(await say(STRANGER, awa, "/done evaluation")).toMatch(/aucun plan de pilote/);
    expect(await say(STRANGER, awa, "/snooze evaluation 1d")).toMatch(/aucun plan de pilote/);
    // Naming another pilot's milestone: refused as not a member, from a chat in no plan or in another pilot's.
    expect(await say(STRANGER, awa, "/snooze tg-cmd-a/evaluation 1d")).toBe("Seules les conversations de ce pilote peuvent agir sur ses jalons.");
    expect(await say(OTHER_TEAM, john, "/done tg-cmd-b/capitalisation")).toBe("Only this pilot's chats can act on its milestones.");
    expect(await say(CMD, john, "/done tg-cmd-b/capitalisation")).toBe("Only this pilot's chats can act on its milestones.");
    // A bare id is looked up only among the chat's own pilots.
    expect(await say(OTHER_TEAM, john, "/done capitalisation")).toMatch(/^No milestone "capitalisation" in this chat's plans\.\nOpen milestones of this chat:\n• convention — Convention signée$/);
    expect(await q.store.pilotState(cmdPilot.id)).toEqual(stateA);
    expect(await q.store.pilotState(cmdPilotB.id)).toEqual(stateB);
    expect(await queuedOf(cmdPilotB, "capitalisation")).toBeGreaterThan(0);
  });
});
