import { describe, expect, it } from "vitest";
import { testEngine } from "./support/assistant.js";

describe("smoke", () => {
  it("answers a French methodology question from the right sheet", async () => {
    const engine = await testEngine();
    const reply = await engine.ask({ question: "comment constituer un comité de pilotage ?", channel: "test" });
    expect(reply.answered).toBe(true);
    expect(reply.citations[0]?.id).toBe("gouvernance-pilotage");
  });
});
