import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markDone, snooze } from "../../src/reminders/actions.js";
import { planReminders } from "../../src/reminders/schedule.js";
import { describeDiff, syncQueue } from "../../src/reminders/sync.js";
import { isolatedQueue, plan } from "./helpers.js";

const NOW = Date.parse("2029-06-01T00:00:00Z");
const twoMilestones = () =>
  plan({
    id: "sync-a",
    milestones: [
      { id: "diagnostic", title: "Diagnostic", due: "2030-02-15", sheet: "diagnostic-partage" },
      { id: "copil-1", title: "Copil", due: "2030-03-10T14:30:00", sheet: "gouvernance-pilotage", remind: ["P7D", "P0D"] },
    ],
  });

describe("pilots sync", () => {
  let q: Awaited<ReturnType<typeof isolatedQueue>>;
  beforeAll(async () => {
    q = await isolatedQueue("sync");
  });
  afterAll(async () => {
    await q.cleanup();
  });
  const pending = async () => (await q.queue.getRanges(["delayed", "waiting", "prioritized"], 0, -1)).filter((id) => !id.startsWith("repeat:")).sort();
  const sync = (plans: ReturnType<typeof plan>[], dryRun = false) => syncQueue({ queue: q.queue, store: q.store, plans, now: NOW, dryRun });

  it("adds one delayed job per future reminder, and a second run changes nothing", async () => {
    const p = twoMilestones();
    const dry = await sync([p], true);
    expect(dry.add).toHaveLength(6);
    expect(await pending()).toEqual([]); // a dry run changes nothing
    expect(describeDiff(dry, [p])[0]).toMatch(/^\+ sync-a diagnostic P14D at 2030-02-01 09:00:00 GMT\+1$/);
    await sync([p]);
    expect(await pending()).toEqual(
      planReminders(p)
        .map((r) => r.jobId)
        .sort(),
    );
    const again = await sync([p]);
    expect([again.add.length, again.remove.length, again.unchanged, again.upsertDigests.length]).toEqual([0, 0, 6, 0]);
    const job = await q.queue.getJob(planReminders(p)[0]!.jobId);
    expect(job!.delay).toBe(planReminders(p)[0]!.fireAt - NOW);
  });

  it("replaces a moved milestone's jobs, drops a deleted one's, keeps the others", async () => {
    const p = twoMilestones();
    const before = planReminders(p);
    const moved = plan({ ...p, milestones: [{ ...p.milestones[0]!, due: "2030-02-20" }] }); // copil-1 deleted, diagnostic moved
    const diff = await sync([moved]);
    expect(diff.remove.sort()).toEqual(before.map((r) => r.jobId).sort());
    expect(await pending()).toEqual(
      planReminders(moved)
        .map((r) => r.jobId)
        .sort(),
    );
    // Changing only the offsets of a milestone is a change too.
    const fewer = plan({ ...moved, milestones: [{ ...moved.milestones[0]!, remind: ["P1D"] }] });
    const d2 = await sync([fewer]);
    expect([d2.add.length, d2.remove.length]).toEqual([0, 3]); // P1D was already queued
    expect(await pending()).toEqual(planReminders(fewer).map((r) => r.jobId));
  });

  it("removes every future job and the digest of a deleted pilot", async () => {
    const other = plan({ id: "sync-b", timezone: "Asia/Ho_Chi_Minh" });
    await sync([twoMilestones(), other]);
    expect((await q.queue.getJobSchedulers()).map((s) => [s.key, s.tz, s.pattern]).sort()).toEqual([
      ["digest.sync-a", "Europe/Paris", "0 9 * * 1"],
      ["digest.sync-b", "Asia/Ho_Chi_Minh", "0 9 * * 1"],
    ]);
    const diff = await sync([twoMilestones()]);
    expect(diff.removeDigests).toEqual(["digest.sync-b"]);
    expect((await pending()).filter((id) => id.startsWith("r.sync-b."))).toEqual([]);
    expect((await q.queue.getJobSchedulers()).map((s) => s.key)).toEqual(["digest.sync-a"]);
    expect(await q.store.plan("sync-b")).toBeUndefined();
  });

  it("done cancels a milestone's remaining reminders and sync does not bring them back", async () => {
    const p = twoMilestones();
    await sync([p]);
    const chat = { platform: "telegram" as const, id: "-100200300" };
    expect(await markDone({ queue: q.queue, store: q.store, now: NOW }, p.id, "copil-1", { platform: "telegram", id: "-999" })).toEqual({ ok: false, reason: "not-member" });
    const done = await markDone({ queue: q.queue, store: q.store, now: NOW }, p.id, "copil-1", chat);
    expect(done.ok).toBe(true);
    expect((await pending()).filter((id) => id.includes(".copil-1."))).toEqual([]);
    const again = await sync([p]);
    expect(again.add).toEqual([]);
    expect((await pending()).filter((id) => id.includes(".copil-1."))).toEqual([]);
  });

  it("after Redis loses everything, sync restores every future reminder, snoozes included", async () => {
    const p = twoMilestones();
    await sync([p]);
    const state = await snooze({ queue: q.queue, store: q.store, now: NOW }, p.id, "diagnostic", "P1W", { platform: "telegram", id: "-100200300" });
    expect(state.ok && state.until).toBe(NOW + 7 * 86_400_000);
    const expected = (await pending()).filter((id) => !id.includes(".copil-1."));
    const snapshot = await q.store.pilotState(p.id);
    await q.wipe(); // what FLUSHALL does to this test's keys
    expect(await pending()).toEqual([]);
    // Done and snoozed states live in Redis: with persistence they survive; here we put them back as a restart would find them.
    for (const [id, s] of snapshot) await q.store.setMilestoneState(p.id, id, s);
    const restored = await sync([p]);
    expect(restored.restoreSnoozes.map((s) => s.milestoneId)).toEqual(["diagnostic"]);
    expect(await pending()).toEqual(expected);
    expect(await q.store.plan(p.id)).toEqual(p);
  });
});
