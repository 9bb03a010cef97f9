import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { planReminders } from "../../src/reminders/schedule.js";
import { plan } from "./helpers.js";

const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");

describe("reminder times in local time", () => {
  it("stays at 09:00 Europe/Paris across both daylight-saving changes", () => {
    const p = plan({
      id: "paris",
      milestones: [
        { id: "spring", title: "S", due: "2027-03-29", sheet: "diagnostic-partage" }, // DST starts 2027-03-28
        { id: "autumn", title: "A", due: "2027-11-01", sheet: "diagnostic-partage" }, // DST ends 2027-10-31
      ],
    });
    const times = planReminders(p).map((r) => `${r.milestoneId} ${r.offset} ${local(r.fireAt, "Europe/Paris")}`);
    expect(times).toEqual([
      "spring P14D 2027-03-15 09:00 +01:00",
      "spring P7D 2027-03-22 09:00 +01:00",
      "spring P1D 2027-03-28 09:00 +02:00",
      "spring P0D 2027-03-29 09:00 +02:00",
      "autumn P14D 2027-10-18 09:00 +02:00",
      "autumn P7D 2027-10-25 09:00 +02:00",
      "autumn P1D 2027-10-31 09:00 +01:00",
      "autumn P0D 2027-11-01 09:00 +01:00",
    ]);
  });

  it.each([
    ["Indian/Reunion", "2027-04-02", "+04:00", "+04:00"],
    ["America/Port-au-Prince", "2027-03-16", "-05:00", "-04:00"], // DST from 2027-03-14
    ["Asia/Ho_Chi_Minh", "2027-06-01", "+07:00", "+07:00"],
    ["Africa/Casablanca", "2027-03-15", "+00:00", "+01:00"], // Ramadan offset until mid-March 2027
  ])("%s: 09:00 local on each reminder day", (zone, due, first, last) => {
    const p = plan({ id: "z", timezone: zone, milestones: [{ id: "m", title: "M", due, sheet: "diagnostic-partage" }] });
    const reminders = planReminders(p);
    expect(reminders.map((r) => DateTime.fromMillis(r.fireAt, { zone }).toFormat("HH:mm"))).toEqual(["09:00", "09:00", "09:00", "09:00"]);
    expect(DateTime.fromMillis(reminders[0]!.fireAt, { zone }).toFormat("ZZ")).toBe(first);
    expect(DateTime.fromMillis(reminders.at(-1)!.fireAt, { zone }).toFormat("ZZ")).toBe(last);
  });

  it("a local date and time: due minus each offset, hours as elapsed time across the change", () => {
    const p = plan({ id: "t", remind: ["P1D", "PT12H", "PT30S"], milestones: [{ id: "copil", title: "C", due: "2027-03-28T14:30:00", sheet: "gouvernance-pilotage" }] });
    expect(planReminders(p).map((r) => local(r.fireAt, "Europe/Paris"))).toEqual([
      "2027-03-27 14:30 +01:00", // a calendar day before, same wall-clock time
      "2027-03-28 01:30 +01:00", // 12 real hours before 14:30 +02:00
      "2027-03-28 14:29 +02:00",
    ]);
  });

  it("gives the same job ids for the same plan and new ones when a milestone moves", () => {
    const a = planReminders(plan({ id: "ids" })).map((r) => r.jobId);
    expect(planReminders(plan({ id: "ids" })).map((r) => r.jobId)).toEqual(a);
    const moved = planReminders(plan({ id: "ids", milestones: [{ id: "diagnostic", title: "D", due: "2030-02-16", sheet: "diagnostic-partage" }] })).map((r) => r.jobId);
    expect(moved.filter((id) => a.includes(id))).toEqual([]);
    expect(a.every((id) => !id.includes(":"))).toBe(true);
  });
});
