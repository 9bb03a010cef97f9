/** Language detection on awkward questions, the preferred language of a conversation, and answers only found in the other language. */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerEngine } from "../../src/answer/engine.js";
import { MemoryConversationStore } from "../../src/answer/conversation.js";
import { FileInsightStore } from "../../src/answer/insights.js";
import { replyToText } from "../../src/answer/render-text.js";
import { spansText } from "../../src/answer/reply.js";
import { PHRASES } from "../../src/shared/texts.js";
import { ingest } from "../../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { detectLanguage } from "../../src/shared/language.js";
import { sharedIndex, testEngine } from "../support/assistant.js";
import { writeKnowledge } from "./fixtures.js";

describe("detectLanguage", () => {
  it("falls back to the preference on one-word questions", () => {
    for (const q of ["FICOL ?", "budget ?", "FICOL", "merci", "ODD ?"]) {
      expect(detectLanguage(q, "fr"), q).toBe("fr");
      expect(detectLanguage(q, "en"), q).toBe("en");
    }
    expect(detectLanguage("FICOL ?")).toBe("fr");
    expect(detectLanguage("", "en")).toBe("en");
    expect(detectLanguage("?!", "en")).toBe("en");
  });

  it("still reads one function word", () => {
    expect(detectLanguage("comment ?", "en")).toBe("fr");
    expect(detectLanguage("why?", "fr")).toBe("en");
  });

  it("recognises French typed without accents", () => {
    for (const q of ["comment evaluer un projet de cooperation", "quels sont les pieges a eviter", "pourquoi cooperer", "qui finance le projet", "c'est quoi le cadre logique"]) {
      expect(detectLanguage(q, "en"), q).toBe("fr");
    }
  });

  it("recognises English questions that quote French terms", () => {
    for (const q of ["How often should the comité de suivi meet?", "What does the convention de partenariat contain?", "Is the FICOL open to Départements?", "Who sits on the comité de pilotage?"]) {
      expect(detectLanguage(q, "fr"), q).toBe("en");
    }
  });

  it("goes with the language that carries the question in mixed text", () => {
    expect(detectLanguage("c'est quoi le comité de pilotage, the steering committee ?", "en")).toBe("fr");
    expect(detectLanguage("quel est le rôle du steering committee", "en")).toBe("fr");
    expect(detectLanguage("What is the role of the comité technique in the projet?", "fr")).toBe("en");
  });
});

describe("preferred language", () => {
  it("answers in the preferred language whatever the question's language: lead, citations, suggestions", async () => {
    const engine = await testEngine();
    const index = await sharedIndex();
    await engine.setLanguage("prefers-en", "en");
    await engine.setLanguage("prefers-fr", "fr");

    const en = await engine.ask({ question: "comment structurer un diagnostic partagé ?", conversationId: "prefers-en", channel: "test" });
    expect(en.lang).toBe("en");
    expect(en.citations[0]).toMatchObject({ id: "diagnostic-partage", lang: "en" });
    // The direct answer comes from the English sheet's steps.
    expect(spansText(en.lead)).toMatch(/^In \d+ steps: /);
    expect(en.leadCites).toEqual([1]);
    for (const s of en.suggestions) {
      if (s.type !== "question") expect(s.label).toBe(index.passages(s.id, "en")[0]!.title);
      else expect(s.label).toContain(en.citations[0]!.title);
    }
    expect(en.notes).not.toContain(PHRASES.otherLanguage.en);

    const fr = await engine.ask({ question: "Who should sit on the steering committee?", conversationId: "prefers-fr", channel: "test" });
    expect(fr.lang).toBe("fr");
    expect(fr.citations[0]).toMatchObject({ id: "gouvernance-pilotage", lang: "fr" });
    expect(fr.leadCites).toEqual([1]);
    expect(detectLanguage(spansText(fr.lead), "en")).toBe("fr");
    for (const s of fr.suggestions) if (s.type !== "question") expect(s.label).toBe(index.passages(s.id, "fr")[0]!.title);
    expect(replyToText(fr)).toContain("Voir aussi");
  });

  it("refuses in the preferred language", async () => {
    const engine = await testEngine();
    const index = await sharedIndex();
    await engine.setLanguage("refuse-en", "en");
    const reply = await engine.ask({ question: "recette de la tarte tatin", conversationId: "refuse-en", channel: "test" });
    expect(reply.answered).toBe(false);
    expect(reply.lang).toBe("en");
    expect(spansText(reply.lead)).toBe(PHRASES.refusalLead.en);
    expect(reply.body[0]).toMatchObject({ spans: [{ text: PHRASES.refusalNothingNear.en }] });
    for (const s of reply.suggestions) if (s.type === "sheet") expect(s.label).toBe(index.passages(s.id, "en")[0]!.title);

    // A French question near the kit's field: the nearest sheets are named by their English titles.
    const near = await engine.ask({ question: "Quel est le calendrier des soldes d'hiver ?", conversationId: "refuse-en", channel: "test" });
    expect(near).toMatchObject({ answered: false, mode: "refusal", lang: "en" });
    expect(near.body[0]).toMatchObject({ spans: [{ text: PHRASES.refusalNear.en }] });
    expect(near.suggestions.length).toBeGreaterThan(0);
    expect(near.suggestions.map((s) => s.label)).toEqual(near.suggestions.map((s) => (s.type === "sheet" ? index.passages(s.id, "en")[0]!.title : `not a sheet: ${s.type}`)));

    // The other way round: an English question outside the kit, French preferred.
    await engine.setLanguage("refuse-fr", "fr");
    const fr = await engine.ask({ question: "What is the capital of Australia?", conversationId: "refuse-fr", channel: "test" });
    expect(fr).toMatchObject({ answered: false, mode: "refusal", lang: "fr", citations: [] });
    expect(spansText(fr.lead)).toBe(PHRASES.refusalLead.fr);
    expect(fr.body[0]).toMatchObject({ spans: [{ text: PHRASES.refusalNothingNear.fr }] });
  });

  it("an explicit language (--lang) wins over the preference", async () => {
    const engine = await testEngine();
    await engine.setLanguage("forced", "en");
    const reply = await engine.ask({ question: "How to structure a shared diagnosis?", conversationId: "forced", lang: "fr", channel: "test" });
    expect(reply.lang).toBe("fr");
    expect(reply.citations[0]).toMatchObject({ id: "diagnostic-partage", lang: "fr" });
  });
});

describe("answers that exist only in the other language", () => {
  let knowledgeDir: string;
  let engine: AnswerEngine;

  beforeAll(async () => {
    knowledgeDir = await writeKnowledge();
    const indexDir = `${knowledgeDir}-index`;
    const result = await ingest({ knowledgeDir, indexDir, embeddings: { provider: "local" } });
    expect(result.errors).toEqual([]);
    const index = await KnowledgeIndex.load(indexDir, { provider: "local" }, { terms: [] });
    engine = new AnswerEngine({ index, conversations: new MemoryConversationStore(3600), insights: new FileInsightStore(`${knowledgeDir}-data`) });
  });
  afterAll(async () => {
    for (const dir of [knowledgeDir, `${knowledgeDir}-index`, `${knowledgeDir}-data`]) await rm(dir, { recursive: true, force: true });
  });

  it("quotes the French passage with the 'French only' note when English is preferred", async () => {
    await engine.setLanguage("en-user", "en");
    const reply = await engine.ask({ question: "comment fonctionne le fonds de microcrédit Tambacounda ?", conversationId: "en-user", channel: "test" });
    expect(reply.answered).toBe(true);
    expect(reply.lang).toBe("en");
    expect(reply.citations[0]).toMatchObject({ id: "microcredit", lang: "fr" });
    expect(reply.notes).toContain(PHRASES.otherLanguage.en);
    expect(reply.leadCites).toEqual([1]);
    expect(replyToText(reply)).toContain("Le fonds de microcrédit Tambacounda › Fonctionnement du fonds (fr)");
  });

  it("has no such note when the sheet exists in the reply language", async () => {
    const fr = await engine.ask({ question: "comment fonctionne le fonds de microcrédit Tambacounda ?", channel: "test" });
    expect(fr.lang).toBe("fr");
    expect(fr.notes).not.toContain(PHRASES.otherLanguage.fr);
    const en = await engine.ask({ question: "How to set up the steering committee?", channel: "test" });
    expect(en.citations[0]).toMatchObject({ id: "comite", lang: "en" });
    expect(en.notes).not.toContain(PHRASES.otherLanguage.en);
  });

  it("suggests no sheet in an English refusal when nothing is near", async () => {
    const reply = await engine.ask({ question: "What is the capital of Australia?", channel: "test" });
    expect(reply.answered).toBe(false);
    expect(reply.lang).toBe("en");
    expect(reply.suggestions).toEqual([]);
  });
});
