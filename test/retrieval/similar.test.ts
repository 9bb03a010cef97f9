/** Similar projects through the answer engine: the hard filters (the command line's test combines theme and country, where the country alone decides). */
import { describe, expect, it } from "vitest";
import { testEngine } from "../support/assistant.js";

describe("similar projects' filters", () => {
  it("a theme keeps only that theme's cases, whatever ranks first without it", async () => {
    const engine = await testEngine();
    const unfiltered = await engine.similar("protection de l'enfance");
    expect(unfiltered.results[0]?.id).toBe("meurthe-et-moselle-sidi-kacem");
    const water = await engine.similar("protection de l'enfance", { theme: "water-sanitation" });
    expect(water.results.length).toBeGreaterThan(0);
    for (const r of water.results) expect(r.themes).toContain("water-sanitation");
    expect(water.results.map((r) => r.id)).not.toContain("meurthe-et-moselle-sidi-kacem");
  });
});
