/** Telegram rendering and callback data, checked against the Bot API's HTML rules (the fake server's parser). */
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/answer/reply.js";
import { decodeCallback, encodeCallback } from "../../src/channels/telegram/callbacks.js";
import { renderReply } from "../../src/channels/telegram/render.js";
import { parseHtml } from "../support/telegram-html.js";
import { testEngine } from "../support/assistant.js";

function reply(overrides: Partial<Reply>): Reply {
  return {
    answerId: "abcdefghij",
    question: "q",
    lang: "fr",
    answered: true,
    mode: "extractive",
    lead: [{ text: "Lead" }],
    leadCites: [],
    body: [],
    citations: [],
    sources: [],
    suggestions: [],
    actions: [],
    notes: [],
    ...overrides,
  };
}

describe("Telegram rendering", () => {
  it("escapes every user- or document-supplied string", () => {
    const hostile = "<b>x</b> & <script>alert('&amp;')</script> \" ' > <";
    const [html] = renderReply(
      reply({
        lead: [{ text: hostile, bold: true }],
        body: [{ type: "bullets", items: [[{ text: hostile, href: "https://example.org/?a=1&b=<2>" }]], cites: [1] }],
        citations: [{ n: 1, id: "x", lang: "fr", kind: "kit", title: hostile, section: hostile, url: 'https://example.org/a?b=1&c="2"' }],
      }),
    );
    const parsed = parseHtml(html!);
    expect(parsed.text).toContain(hostile);
    expect(parsed.entities.some((e) => e.type === "text_link")).toBe(true);
  });

  it("splits long replies under the limit with balanced markup in every part", () => {
    const item = [{ text: "Étape importante ", bold: true }, { text: "avec des détails 👩🏽‍⚕️ & <balises> ".repeat(20) }];
    const long = reply({
      body: [
        { type: "steps", items: Array.from({ length: 30 }, () => item), cites: [1] },
        { type: "paragraph", spans: [{ text: "Un très long paragraphe sans fin. ".repeat(300), italic: true }], cites: [1] },
      ],
    });
    const parts = renderReply(long);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      const parsed = parseHtml(part);
      expect([...parsed.text].length).toBeLessThanOrEqual(4096);
    }
    const steps = parts.map((p) => parseHtml(p).text).join("\n");
    expect(steps).toContain("30. Étape importante");
  });

  it("renders real replies of the engine that Telegram accepts", async () => {
    const engine = await testEngine();
    for (const question of ["comment constituer un comité de pilotage ?", "How do I structure a partner diagnosis?", "FICOL ?", "recette de la tarte tatin"]) {
      for (const part of renderReply(await engine.ask({ question, channel: "test" }))) expect(() => parseHtml(part)).not.toThrow();
    }
  });
});

describe("callback data", () => {
  it("round-trips and stays under 64 bytes", () => {
    for (const callback of [
      { action: "feedback", useful: true, answerId: "Ab-_0123456789xyz" },
      { action: "sources", answerId: "abcdefghij" },
      { action: "similar", answerId: "abcdefghij" },
    ] as const) {
      const data = encodeCallback(callback);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(callback);
    }
  });

  it("rejects forged, foreign and oversized data", () => {
    for (const data of [undefined, "", "fb:2:abcdefghij", "fb:1", "fb:1:abc", "src:<script>", "sim:abcdefghij:extra", "drop:table", "x".repeat(65), `src:${"a".repeat(61)}`]) {
      expect(decodeCallback(data)).toBeUndefined();
    }
  });
});
