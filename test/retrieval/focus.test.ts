import { describe, expect, it } from "vitest";
import { focus } from "../../src/retrieval/focus.js";

describe("focus: what a chat message asks", () => {
  it("sets aside a greeting, an introduction and politeness, keeping accents", () => {
    const f = focus("Bonjour, je suis chargée de mission au Département. Je voudrais savoir comment constituer un comité de pilotage ? Merci d'avance");
    expect(f.question).toBe("comment constituer un comité de pilotage ?");
    expect(f.topic).toBe("comment constituer un comité de pilotage ?");
    expect(f.topic).not.toMatch(/bonjour|merci/i);
  });

  it("keeps positions right when the message holds emoji", () => {
    const f = focus("Hi 🙂🙂 I'm new here. Could you tell me who pays for this? thanks 🙏");
    expect(f.question).toBe("who pays for this?");
    expect(f.topic).toBe("who pays for this?");
  });

  it("returns the message itself when nothing is left", () => {
    expect(focus("Merci !").topic).toBe("Merci !");
    expect(focus("👍").question).toBe("👍");
  });
});

describe("focus: elided subjects", () => {
  it("sets aside « j'aimerais savoir »", () => {
    expect(focus("J'aimerais savoir qui paie pour tout ça ?").question).toBe("qui paie pour tout ça ?");
  });
});
