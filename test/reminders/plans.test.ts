import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatPlanError, loadPlans, parsePlan } from "../../src/reminders/load-plans.js";
import { loadPlanTemplate, plannedMilestones, renderNewPlan } from "../../src/reminders/template.js";
import { planDir, sheets } from "./helpers.js";

const good = `id: equipe-test
name: Test
timezone: Indian/Reunion
channels:
  telegram: [-1001]
  slack: [C0123456]
milestones:
  - id: diagnostic
    title: Diagnostic
    due: 2027-02-15
    sheet: diagnostic-partage
    remind: [P7D, PT30S]
  - id: copil-1
    title: Copil
    due: 2027-03-10T14:30:00
    sheet: gouvernance-pilotage
`;

describe("plan files", () => {
  it("accepts the contract's format, defaults lang to fr and accepts second offsets", async () => {
    const ids = (await sheets()).ids();
    const result = parsePlan(good, "pilots/equipe-test.yaml", ids);
    expect("plan" in result && result.plan.lang).toBe("fr");
    expect("plan" in result && result.plan.milestones[0]!.remind).toEqual(["P7D", "PT30S"]);
  });

  it("names the file, the milestone and the field of each fault", async () => {
    const ids = (await sheets()).ids();
    const bad = good.replace("sheet: gouvernance-pilotage", "sheet: gouvernance").replace("due: 2027-02-15", "due: 2027-02-30");
    const result = parsePlan(bad, "pilots/x.yaml", ids);
    expect("errors" in result).toBe(true);
    const lines = "errors" in result ? result.errors.map(formatPlanError) : [];
    expect(lines).toContainEqual(expect.stringMatching(/^pilots\/x\.yaml: milestone copil-1, sheet: no kit sheet "gouvernance"/));
    expect(lines).toContainEqual(expect.stringMatching(/^pilots\/x\.yaml: milestone diagnostic, due: invalid date "2027-02-30"/));
  });

  it("refuses an unknown time zone, a malformed date and a bad offset, naming each", async () => {
    const ids = (await sheets()).ids();
    const bad = good.replace("Indian/Reunion", "Europe/Atlantis").replace("due: 2027-03-10T14:30:00", "due: 10/03/2027").replace("PT30S", "30s");
    const result = parsePlan(bad, "p.yaml", ids);
    const errors = "errors" in result ? result.errors : [];
    expect(errors).toContainEqual(expect.objectContaining({ file: "p.yaml", field: "timezone", message: expect.stringContaining("unknown IANA time zone") }));
    expect(errors).toContainEqual(expect.objectContaining({ milestone: "copil-1", field: "due" }));
    expect(errors).toContainEqual(expect.objectContaining({ milestone: "diagnostic", field: "remind.1" }));
  });

  it("loads a directory, leaving bad files and reused pilot ids out", async () => {
    const dir = await planDir({ "a.yaml": good, "b.yaml": good, "c.yml": "id: [", "notes.txt": "ignored" });
    const { plans, errors } = await loadPlans(dir, (await sheets()).ids());
    expect(plans.map((p) => path.basename(p.file))).toEqual(["a.yaml"]);
    expect(errors.map((e) => [path.basename(e.file), e.field])).toEqual([
      ["b.yaml", "id"],
      ["c.yml", undefined],
    ]);
  });

  it("the shipped example is valid and says it is an example", async () => {
    const { plans, errors } = await loadPlans(path.resolve("pilots"), (await sheets()).ids());
    expect(errors).toEqual([]);
    expect(plans.map((p) => p.plan.id)).toEqual(["exemple-evaluation-conjointe"]);
    expect(await readFile(plans[0]!.file, "utf8")).toMatch(/EXEMPLE/);
  });
});

describe("pilots new", () => {
  it("dates only what the kit states and marks the rest as proposals", async () => {
    const catalog = await sheets();
    const template = await loadPlanTemplate(path.resolve("knowledge"), catalog.ids());
    const options = { id: "nouveau", start: "2027-01-15", months: 36, timezone: "America/Port-au-Prince", lang: "fr" as const };
    const milestones = plannedMilestones(template, options);
    const due = Object.fromEntries(milestones.map((m) => [m.id, m.due]));
    expect(due["rapport-annuel-1"]).toBe("2028-01-15");
    expect(due["rapport-annuel-2"]).toBe("2029-01-15");
    expect(due["rapport-annuel-3"]).toBeUndefined(); // the third anniversary is the end: final evaluation
    expect(due["revue-mi-parcours"]).toBe("2028-07-16"); // half of the 1,096 days
    expect(due["evaluation-finale"]).toBe("2030-01-15");
    for (const id of ["diagnostic", "co-construction", "convention", "financements", "copil-1", "capitalisation"]) {
      expect(milestones.find((m) => m.id === id)!.comment).toMatch(/date proposée, à fixer/);
    }
    const text = renderNewPlan(template, options);
    const parsed = parsePlan(text, "nouveau.yaml", catalog.ids());
    expect("plan" in parsed && parsed.plan.milestones.every((m) => catalog.get(m.sheet, "fr"))).toBe(true);
    expect(renderNewPlan(template, { ...options, lang: "en" })).toMatch(/proposed date, to be set: the kit gives no duration/);
  });
});

describe("terrinclus pilots new / check", () => {
  it("new writes a plan that check accepts; check names a bad plan's file, milestone and field and exits 1", async () => {
    const { execFile } = await import("node:child_process");
    const { loadConfig } = await import("../../src/config/config.js");
    const { runPilotsNew } = await import("../../src/cli/commands/pilots.js");
    const dir = await planDir({ "b.yaml": good.replace("sheet: gouvernance-pilotage", "sheet: nope") });
    const env = { PILOTS_DIR: dir, KNOWLEDGE_DIR: path.resolve("knowledge") };
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runPilotsNew(loadConfig(env), "equipe-x", { start: "2031-01-01", months: 24, timezone: "Indian/Reunion" })).toBe(0);
      expect(await runPilotsNew(loadConfig(env), "equipe-x", { start: "2031-01-01", months: 24 })).toBe(1); // never overwritten silently
    } finally {
      process.stdout.write = write;
    }
    // One run of the built command line (its start-up takes seconds).
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [path.resolve("dist/cli/main.js"), "pilots", "check"], { env: { ...process.env, ...env } }, (error, out) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out }));
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/b\.yaml: milestone copil-1, sheet: no kit sheet "nope"/);
    expect(stdout).toMatch(/✓ .*equipe-x\.yaml: Pilote equipe-x \(Indian\/Reunion\), 9 milestone\(s\)/);
    expect(stdout).toMatch(/2030-12-18 09:00 GMT\+4 {2}diagnostic \(P14D before 2031-01-01 09:00\)/);
  });
});
