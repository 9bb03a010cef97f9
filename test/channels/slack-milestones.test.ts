/** Slack `/terrinclus milestones` and the milestone buttons, end to end: signed requests, the local Web API, real Redis and BullMQ. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisConversationStore } from "../../src/answer/conversation.js";
import { parseSlashCommand } from "../../src/channels/slack/command.js";
import { slackService, type SlackService } from "../../src/channels/slack/run.js";
import { reminderBlocks } from "../../src/channels/slack/reminders.js";
import { reminderMessage } from "../../src/reminders/message.js";
import { milestoneReminders } from "../../src/reminders/schedule.js";
import { milestoneRef } from "../../src/reminders/store.js";
import { syncQueue } from "../../src/reminders/sync.js";
import { createLogger } from "../../src/shared/logger.js";
import { testEngine } from "../support/assistant.js";
import { useTestRedis } from "../support/redis.js";
import { blockActionsBody, checkBlocks, FakeSlack, ResponseUrlServer, signedPost, slashCommandBody } from "../support/slack-server.js";
import { isolatedQueue, plan, sheets } from "../reminders/helpers.js";

const db = useTestRedis("slack-milestones");
const SECRET = "FAKE-signing-secret-slack-milestones";
const FORM = "application/x-www-form-urlencoded";
const TEAM = "C0MSTEAM";
const STRANGER = "C0MSOTHER";
const CMD = "C0MSCMD";
const MULTI = "C0MSMULTI";

const pilot = plan({
  id: "slack-ms-pilot",
  name: "Coopération Haïti",
  timezone: "America/Port-au-Prince",
  lang: "en",
  channels: { telegram: [], slack: [TEAM] },
  milestones: [
    { id: "diagnostic", title: "Shared diagnosis approved", due: "2030-02-15", sheet: "diagnostic-partage" },
    { id: "copil-1", title: "First steering committee", due: "2030-03-10T14:30:00", sheet: "gouvernance-pilotage" },
  ],
});
// For the typed commands: CMD belongs to one pilot, MULTI to two that both have an "evaluation" milestone.
const cmdPilot = plan({
  id: "slack-cmd-a",
  name: "Coopération Agadir",
  timezone: "Europe/Paris",
  channels: { telegram: [], slack: [CMD, MULTI] },
  milestones: [
    { id: "rapport-1", title: "Premier rapport annuel", due: "2030-06-01", sheet: "suivi-evaluation" },
    { id: "evaluation", title: "Évaluation à mi-parcours", due: "2030-09-01", sheet: "suivi-evaluation" },
  ],
});
const cmdPilotB = plan({
  id: "slack-cmd-b",
  lang: "en",
  channels: { telegram: [], slack: [MULTI] },
  milestones: [
    { id: "evaluation", title: "Final evaluation", due: "2031-01-15", sheet: "suivi-evaluation" },
    { id: "capitalisation", title: "Capitalisation", due: "2031-03-01", sheet: "capitalisation" },
  ],
});
const otherPilot = plan({ id: "slack-ms-other", channels: { telegram: [], slack: ["C0MSELSE"] }, milestones: [{ id: "convention", title: "Convention signée", due: "2030-05-01", sheet: "diagnostic-partage" }] });

describe("Slack: /terrinclus milestones and the milestone buttons", () => {
  let fake: FakeSlack;
  let sink: ResponseUrlServer;
  let service: SlackService;
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  let url: string;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    sink = await ResponseUrlServer.start();
    q = await isolatedQueue("slack-milestones");
    await syncQueue({ queue: q.queue, store: q.store, plans: [pilot, otherPilot, cmdPilot, cmdPilotB] });
    const engine = await testEngine({ conversations: new RedisConversationStore(db.redis, 600, `${db.prefix}conv:`) });
    service = slackService(
      { botToken: fake.botToken, signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, threadTtlSeconds: 600, pacingMs: 0, redisPrefix: `${db.prefix}slack:` },
      engine,
      db.redis,
      createLogger("silent"),
      undefined,
      { queue: q.queue, store: q.store },
    );
    await service.start();
    url = `http://127.0.0.1:${service.port}/slack/events`;
  });
  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    await sink?.close();
    await q?.cleanup();
  });

  const slash = async (channel: string, text: string, name: string) => {
    expect((await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user: "U0AWA", text, responseUrl: sink.url(name) }), FORM)).status).toBe(200);
    await fake.waitFor(() => sink.to(name).length >= 1, 10_000);
    return sink.to(name);
  };
  let pressed = 0;
  /** Presses a button in `channel`; resolves with the ephemeral answer the presser got. */
  const press = async (channel: string, button: { action_id: string; value: string }, user = "U0AWA") => {
    const before = fake.ephemerals(channel).length;
    const body = blockActionsBody({ team: "T0TEST", channel, user, message: { ts: `1700000000.00${pressed++}` }, actionId: button.action_id, value: button.value, responseUrl: sink.url(`press-${pressed}`) });
    expect((await signedPost(url, SECRET, body, FORM)).status).toBe(200);
    await fake.waitFor(() => fake.ephemerals(channel).length > before, 10_000);
    return fake.ephemerals(channel).at(-1)!;
  };
  const queued = async (milestoneId: string) => {
    const jobs = await Promise.all(milestoneReminders(pilot, pilot.milestones.find((m) => m.id === milestoneId)!).map((r) => q.queue.getJob(r.jobId)));
    return jobs.filter(Boolean).length;
  };
  /** `/terrinclus <text>` in `channel`; resolves with the one response it got through response_url. */
  let typed = 0;
  const command = async (channel: string, text: string, user = "U0AWA") => {
    const name = `cmd-${typed++}`;
    const started = Date.now();
    const response = await signedPost(url, SECRET, slashCommandBody({ team: "T0TEST", channel, user, text, responseUrl: sink.url(name) }), FORM);
    // Acknowledged at once, with an empty body: the answer comes through response_url.
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500);
    await fake.waitFor(() => sink.to(name).length >= 1, 10_000);
    const body = sink.to(name)[0]!.body;
    checkBlocks(body.blocks);
    return body as { response_type: string; text: string; blocks: any[] };
  };
  const queuedOf = async (p: typeof pilot, milestoneId: string) => {
    const jobs = await Promise.all(milestoneReminders(p, p.milestones.find((m) => m.id === milestoneId)!).map((r) => q.queue.getJob(r.jobId)));
    return jobs.filter(Boolean).length;
  };
  const buttons = (blocks: any[]) => blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements as Array<{ action_id: string; value: string; text: { text: string } }>);

  it("lists the channel's pilots' upcoming milestones in the pilot's local time, with buttons, to the channel", async () => {
    const [response] = await slash(TEAM, "milestones", "list");
    expect(response!.body.response_type).toBe("in_channel");
    checkBlocks(response!.body.blocks);
    const text = response!.body.blocks
      .filter((b: any) => b.type === "section")
      .map((b: any) => b.text.text)
      .join("\n");
    expect(text).toContain("*Coopération Haïti* _(America/Port-au-Prince)_");
    expect(text).toMatch(/Shared diagnosis approved\* — vendredi 15 février 2030/);
    expect(text).toMatch(/First steering committee\* — dimanche 10 mars 2030, 14:30 \(America\/Port-au-Prince\)/);
    expect(text).not.toContain("Convention signée");
    expect(response!.body.text).toMatch(/Prochains jalons/);
    expect(buttons(response!.body.blocks).map((b) => [b.action_id, b.value])).toEqual(
      ["diagnostic", "copil-1"].flatMap((id) => ["pilot_done", "pilot_snooze_day", "pilot_snooze_week"].map((a) => [`${a}.${milestoneRef(pilot.id, id)}`, milestoneRef(pilot.id, id)])),
    );
    // `jalons` works too; a channel in no plan is told privately how to add it.
    const [none] = await slash(STRANGER, "jalons", "none");
    expect(none!.body).toMatchObject({ response_type: "ephemeral" });
    expect(none!.body.text).toMatch(/aucun plan de pilote/);
  });

  it("the reminder's buttons and the list's: done cancels, snooze reschedules, a channel not in the plan is refused", async () => {
    const [response] = await slash(TEAM, "milestones", "list-2");
    const listButtons = buttons(response!.body.blocks);
    // The notifier's reminder carries the same buttons the app handles.
    const copil = pilot.milestones.find((m) => m.id === "copil-1")!;
    const reminder = reminderBlocks(reminderMessage(pilot, copil, await sheets(), Date.now(), { ref: milestoneRef(pilot.id, "copil-1"), reminderId: "r.test" }));
    const reminderButtons = buttons(reminder.blocks);
    expect(reminderButtons.map((b) => b.action_id)).toEqual(["pilot_done", "pilot_snooze_day", "pilot_snooze_week"]);

    // Not a member: refused, nothing changes (no language chosen and no plan to take it from: French).
    for (const b of reminderButtons) {
      const answer = await press(STRANGER, b);
      expect(answer).toMatchObject({ user: "U0AWA", text: "Seules les conversations de ce pilote peuvent agir sur ses jalons." });
    }
    expect(await q.store.milestoneState(pilot.id, "copil-1")).toEqual({});

    const doneDiagnostic = listButtons.find((b) => b.action_id.startsWith("pilot_done.") && b.value === milestoneRef(pilot.id, "diagnostic"))!;
    expect(await queued("diagnostic")).toBeGreaterThan(0);
    expect((await press(TEAM, doneDiagnostic)).text).toBe('✅ "Shared diagnosis approved" is done: its reminders are cancelled.');
    expect(await queued("diagnostic")).toBe(0);
    expect((await q.store.milestoneState(pilot.id, "diagnostic")).done).toMatchObject({ by: { platform: "slack", id: TEAM, user: "U0AWA" } });

    // Without a language of their own, users are answered in the pilot's language.
    const before = Date.now();
    expect((await press(TEAM, reminderButtons[1]!)).text).toMatch(/^⏰ "First steering committee": next reminder .*2\d\d\d, \d\d:\d\d \(America\/Port-au-Prince\)\.$/);
    const state = await q.store.milestoneState(pilot.id, "copil-1");
    expect(Math.abs(state.snooze!.until - before - 86_400_000)).toBeLessThan(3_600_000 + 5000);
    expect((await q.queue.getJob(state.snooze!.jobId))?.name).toBe("snooze");
    expect(await queued("copil-1")).toBeGreaterThan(0);
    expect(fake.refused()).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("answers a forged or stale button without acting", async () => {
    expect((await press(TEAM, { action_id: "pilot_done", value: "../../etc" })).text).toBe("Ce bouton n'est plus valide.");
    expect((await press(TEAM, { action_id: "pilot_snooze_week", value: "AAAAAAAAAAAA" })).text).toBe("Ce jalon n'est plus dans le plan.");
  });

  it("/terrinclus done cancels the remaining reminders, snooze 1d|1w reschedules, told to the channel (and fait, reporter)", async () => {
    expect(await queuedOf(cmdPilot, "rapport-1")).toBeGreaterThan(0);
    const done = await command(CMD, "done rapport-1");
    expect(done).toMatchObject({ response_type: "in_channel" });
    expect(done.blocks[0].text.text).toBe("✅ « Premier rapport annuel » est fait : ses rappels sont annulés.");
    expect(await queuedOf(cmdPilot, "rapport-1")).toBe(0);
    expect((await q.store.milestoneState(cmdPilot.id, "rapport-1")).done).toMatchObject({ by: { platform: "slack", id: CMD, user: "U0AWA" } });
    expect(await command(CMD, "fait rapport-1")).toMatchObject({ response_type: "ephemeral", text: "Ce jalon est déjà marqué comme fait." });

    const before = Date.now();
    const week = await command(CMD, "snooze evaluation 1w");
    expect(week.response_type).toBe("in_channel");
    expect(week.blocks[0].text.text).toMatch(/^⏰ « Évaluation à mi-parcours » : prochain rappel .*2\d\d\d, \d\d:\d\d \(Europe\/Paris\)\.$/);
    const weekState = await q.store.milestoneState(cmdPilot.id, "evaluation");
    expect(Math.abs(weekState.snooze!.until - before - 7 * 86_400_000)).toBeLessThan(5000);
    expect((await q.queue.getJob(weekState.snooze!.jobId))?.name).toBe("snooze");
    expect((await command(CMD, "reporter evaluation 1d")).response_type).toBe("in_channel");
    const dayState = await q.store.milestoneState(cmdPilot.id, "evaluation");
    expect(Math.abs(dayState.snooze!.until - Date.now() - 86_400_000)).toBeLessThan(5000);
    expect(await q.queue.getJob(weekState.snooze!.jobId)).toBeUndefined();
    expect((await q.queue.getJob(dayState.snooze!.jobId))?.data).toMatchObject({ pilotId: cmdPilot.id, milestoneId: "evaluation", fireAt: dayState.snooze!.until });
    expect(await queuedOf(cmdPilot, "evaluation")).toBeGreaterThan(0);
    expect((await command(CMD, "help")).text).toContain("/terrinclus done &lt;jalon&gt; (ou fait)");
    // A question that starts like the French alias is still a question.
    expect(parseSlashCommand("fait-on un diagnostic avec le partenaire ?")).toMatchObject({ kind: "ask" });
    expect(parseSlashCommand("reporter la réunion du comité de pilotage ?")).toMatchObject({ kind: "ask" });
    expect(parseSlashCommand("Done  copil-1")).toEqual({ kind: "done", args: "copil-1" });
    expect(parseSlashCommand("snooze")).toEqual({ kind: "snooze", args: "" });
  });

  it("a wrong, unknown or ambiguous milestone is answered privately, naming the channel's milestones; nothing changes", async () => {
    const stateA = await q.store.pilotState(cmdPilot.id);
    const unknown = await command(CMD, "done copil-9");
    expect(unknown.response_type).toBe("ephemeral");
    expect(unknown.blocks[0].text.text).toBe("Aucun jalon « copil-9 » dans les plans de cette conversation.\nJalons ouverts de cette conversation :\n• evaluation — Évaluation à mi-parcours");
    const usage = await command(CMD, "done");
    expect(usage.response_type).toBe("ephemeral");
    expect(usage.blocks[0].text.text).toMatch(/^Écrivez : \/terrinclus done &lt;jalon&gt;, par exemple \/terrinclus done evaluation\n/);
    const badLength = await command(CMD, "snooze evaluation 2w");
    expect(badLength).toMatchObject({ response_type: "ephemeral" });
    expect(badLength.blocks[0].text.text).toMatch(/^« 2w » n'est pas une durée de report : 1d ou 1w\.\nÉcrivez : \/terrinclus snooze &lt;jalon&gt; 1d/);
    // Slack's escaping of the user's text does not leak into the answer, and mrkdwn is escaped.
    const bad = await command(CMD, "done <!channel>");
    expect(bad.response_type).toBe("ephemeral");
    expect(bad.blocks[0].text.text).not.toContain("<!channel>");
    expect(await q.store.pilotState(cmdPilot.id)).toEqual(stateA);

    const ambiguous = await command(MULTI, "done evaluation");
    expect(ambiguous.response_type).toBe("ephemeral");
    expect(ambiguous.blocks[0].text.text).toBe(
      "« evaluation » est un jalon de plusieurs pilotes de cette conversation : précisez lequel avec pilote/jalon.\n• slack-cmd-a/evaluation — Évaluation à mi-parcours\n• slack-cmd-b/evaluation — Final evaluation",
    );
    expect((await q.store.milestoneState(cmdPilotB.id, "evaluation")).done).toBeUndefined();
    // The user's own language wins over the pilot's.
    expect((await command(MULTI, "lang en", "U0JOHN")).text).toBe("I will answer in English.");
    const qualified = await command(MULTI, "done slack-cmd-b/evaluation", "U0JOHN");
    expect(qualified).toMatchObject({ response_type: "in_channel" });
    expect(qualified.blocks[0].text.text).toBe('✅ "Final evaluation" is done: its reminders are cancelled.');
    expect(await queuedOf(cmdPilotB, "evaluation")).toBe(0);
    expect((await q.store.milestoneState(cmdPilot.id, "evaluation")).done).toBeUndefined();
  });

  it("refuses a typed command from a channel outside the pilot's plan", async () => {
    const stateA = await q.store.pilotState(cmdPilot.id);
    const stateB = await q.store.pilotState(cmdPilotB.id);
    const none = await command(STRANGER, "done evaluation");
    expect(none).toMatchObject({ response_type: "ephemeral" });
    expect(none.text).toMatch(/aucun plan de pilote/);
    expect((await command(STRANGER, "snooze slack-cmd-a/evaluation 1d")).blocks[0].text.text).toBe("Seules les conversations de ce pilote peuvent agir sur ses jalons.");
    const notMember = await command(CMD, "done slack-cmd-b/capitalisation");
    expect(notMember).toMatchObject({ response_type: "ephemeral" });
    expect(notMember.blocks[0].text.text).toBe("Seules les conversations de ce pilote peuvent agir sur ses jalons.");
    expect((await command(TEAM, "done capitalisation")).blocks[0].text.text).toMatch(/^No milestone "capitalisation" in this chat's plans\.\nOpen milestones of this chat:\n• copil-1 — First steering committee$/);
    expect(await q.store.pilotState(cmdPilot.id)).toEqual(stateA);
    expect(await q.store.pilotState(cmdPilotB.id)).toEqual(stateB);
    expect(await queuedOf(cmdPilotB, "capitalisation")).toBeGreaterThan(0);
    expect(fake.refused()).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});
