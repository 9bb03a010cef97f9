/** The extractive reply model on the shipped kit: each kind of question, in French and English, and refusals. */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { detectIntent, type Intent } from "../../src/answer/intent.js";
import { composeRefusal } from "../../src/answer/extractive.js";
import { answerText, replyToText } from "../../src/answer/render-text.js";
import { spansText, type Block, type Reply } from "../../src/answer/reply.js";
import { MAX_DIRECT_CHARS } from "../../src/answer/direct.js";
import { notStatedLead } from "../../src/answer/texts.js";
import { PHRASES } from "../../src/shared/texts.js";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { sharedIndex, testEngine } from "../support/assistant.js";

/** Front matter of the shipped files, read directly (not through the loader). */
function frontMatter(file: string): Record<string, string> {
  const head = readFileSync(file, "utf8").split(/^---$/m)[1] ?? "";
  const out: Record<string, string> = {};
  for (const m of head.matchAll(/^(\w+):\s*(.*)$/gm)) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
  return out;
}

function relatedOf(id: string, lang: "fr" | "en"): string[] {
  const dir = inject("knowledgeDir");
  const file = ["kit", "cases"].map((d) => path.join(dir, d, `${id}.${lang}.md`)).find((f) => readdirSync(path.dirname(f)).includes(path.basename(f)))!;
  return (frontMatter(file).related ?? "")
    .replace(/[[\]]/g, "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

const unmark = (text: string) => text.replace(/\*\*|__|[*_`]/g, "").replace(/\[([^\]]+)\]\([^)]*\)/g, "$1");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const CASES: Array<{ lang: "fr" | "en"; intent: Intent; question: string; doc: string }> = [
  { lang: "fr", intent: "how", question: "comment structurer un diagnostic partagé ?", doc: "diagnostic-partage" },
  { lang: "fr", intent: "what", question: "qu'est-ce que le diagnostic partagé ?", doc: "diagnostic-partage" },
  { lang: "fr", intent: "who", question: "qui doit participer au comité de pilotage ?", doc: "gouvernance-pilotage" },
  { lang: "fr", intent: "why", question: "pourquoi coopérer à l'international ?", doc: "pourquoi-cooperer" },
  { lang: "fr", intent: "which", question: "quels financements pour un projet de coopération ?", doc: "financements" },
  { lang: "fr", intent: "when", question: "quelles sont les phases d'un projet de coopération ?", doc: "calendrier-projet" },
  { lang: "en", intent: "how", question: "How to structure a shared diagnosis?", doc: "diagnostic-partage" },
  { lang: "en", intent: "what", question: "What is a shared diagnosis?", doc: "diagnostic-partage" },
  { lang: "en", intent: "who", question: "Who should sit on the steering committee?", doc: "gouvernance-pilotage" },
  { lang: "en", intent: "why", question: "Why should a Département cooperate internationally?", doc: "pourquoi-cooperer" },
  { lang: "en", intent: "which", question: "Which funding can support a cooperation project?", doc: "financements" },
  { lang: "en", intent: "when", question: "What are the phases and milestones of a cooperation project?", doc: "calendrier-projet" },
];

let engine: AnswerEngine;
let index: KnowledgeIndex;

beforeAll(async () => {
  engine = await testEngine();
  index = await sharedIndex();
});

/** The numbers a steps block shows match the numbering of the list in the cited passages. */
function expectStepsNumberedAsInKit(reply: Reply, block: Extract<Block, { type: "steps" }>): void {
  const cited = reply.citations.filter((c) => block.cites.includes(c.n));
  const source = unmark(cited.flatMap((c) => index.passages(c.id, c.lang).map((p) => p.text)).join("\n"));
  block.items.forEach((item, i) => {
    const start = spansText(item).slice(0, 16);
    const shown = (block.start ?? 1) + i;
    expect(source, `step ${shown} "${start}"`).toMatch(new RegExp(`^\\s*${shown}[.)]\\s+${escapeRegExp(start)}`, "m"));
  });
}

const numbersOf = (reply: Reply) => reply.citations.map((x) => x.n);

describe("extractive replies for each kind of question", () => {
  for (const c of CASES) {
    it(`${c.lang} ${c.intent}: ${c.question}`, async () => {
      expect(detectIntent(c.question)).toBe(c.intent);
      const reply = await engine.ask({ question: c.question, channel: "test" });

      expect(reply.answered).toBe(true);
      expect(reply.mode).toBe("extractive");
      expect(reply.lang).toBe(c.lang);
      expect(reply.answerId).toMatch(/^[A-Za-z0-9_-]{10}$/);
      expect(reply.question).toBe(c.question);

      // Citations: numbered 1..k, from the expected sheet first, all among the retrieved sources.
      expect(reply.citations.length).toBeGreaterThan(0);
      expect(reply.citations.map((x) => x.n)).toEqual(reply.citations.map((_, i) => i + 1));
      expect(reply.citations[0]!.id).toBe(c.doc);
      const sourceIds = reply.sources.map((s) => s.id);
      for (const citation of reply.citations) {
        expect(sourceIds).toContain(citation.id);
        expect(citation.lang).toBe(c.lang);
        expect(citation.title).toBeTruthy();
      }
      // One citation per passage shown: no two citations of the same section.
      expect(new Set(reply.citations.map((x) => `${x.id}|${x.section}`)).size).toBe(reply.citations.length);

      // Lead: the direct answer, cited, taken from what is quoted; or, when the kit does not state what was
      // asked, a sentence saying so that names the main sheet. Never an announcement.
      const lead = spansText(reply.lead);
      if (reply.leadCites.length) {
        expect(reply.leadCites).toHaveLength(1);
        expect(numbersOf(reply)).toContain(reply.leadCites[0]);
        expect(lead.length).toBeLessThanOrEqual(MAX_DIRECT_CHARS + 40);
        expect(lead).not.toMatch(/^(Voici|Here is|D'après|According to)/);
      } else expect(lead).toBe(notStatedLead(c.intent, c.lang, reply.citations[0]!.title));

      // Body: blocks that cite existing citations.
      expect(reply.body.length).toBeGreaterThan(0);
      const numbers = new Set(reply.citations.map((x) => x.n));
      for (const block of reply.body) for (const n of block.cites) expect(numbers.has(n)).toBe(true);
      for (const block of reply.body) if (block.type === "steps") expectStepsNumberedAsInKit(reply, block);
      if (c.intent === "how" || c.intent === "when") {
        const steps = reply.body.find((b) => b.type === "steps");
        expect(steps?.type).toBe("steps");
        // The chat shows the first steps; the lead names them all and the rest is one tap away.
        expect(steps?.type === "steps" && steps.items.length).toBeGreaterThanOrEqual(2);
        expect(spansText(reply.lead).split(/ ; |; /).length).toBeGreaterThanOrEqual(3);
        expect(reply.actions).toContainEqual({ type: "more" });
      }

      // Suggestions: other documents (never the ones cited) and follow-up questions.
      expect(reply.suggestions.length).toBeGreaterThan(0);
      const cited = new Set(reply.citations.map((x) => x.id));
      for (const s of reply.suggestions) {
        expect(s.label).toBeTruthy();
        if (s.type !== "question") expect(cited.has(s.id)).toBe(false);
      }
      expect(reply.suggestions.some((s) => s.type === "question")).toBe(true);

      // Notes: only the known notices, in the reply language.
      const known = Object.values(PHRASES).map((p) => p[c.lang]);
      for (const note of reply.notes) expect(known).toContain(note);

      // Chat-sized: the rest is one tap away.
      expect(answerText(reply).length).toBeLessThan(1600);
      expect(reply.actions.filter((a) => a.type === "feedback")).toHaveLength(2);
      expect(reply.actions.some((a) => a.type === "sources")).toBe(true);
    });
  }

  it("suggests the main sheet's related sheets and cases, labelled in the reply language, and its other sections", async () => {
    for (const lang of ["fr", "en"] as const) {
      const question = lang === "fr" ? "comment structurer un diagnostic partagé ?" : "How to structure a shared diagnosis?";
      const reply = await engine.ask({ question, channel: "test" });
      const related = relatedOf("diagnostic-partage", lang);
      const types = new Set(reply.suggestions.map((s) => s.type));
      expect(types).toEqual(new Set(["sheet", "case", "question"]));
      for (const s of reply.suggestions) {
        if (s.type === "sheet") {
          expect(related).toContain(s.id);
          expect(s.label).toBe(index.passages(s.id, lang)[0]!.title);
        }
        if (s.type === "case") expect(s.label).toBe(index.passages(s.id, lang)[0]!.title);
        if (s.type === "question") expect(s.label.endsWith(` — ${reply.citations[0]!.title}`)).toBe(true);
      }
    }
  });

  it("keeps the sheet's numbering of a list that runs over several passages, in the rest of the answer", async () => {
    const asked = await engine.ask({ question: "quelles sont les phases d'un projet de coopération ?", channel: "test" });
    expect(asked.actions).toContainEqual({ type: "more" });
    const reply = (await engine.more(asked.answerId))!;
    const text = answerText(reply);
    // The kit numbers these phases 4 to 8: they are not renumbered from 1, and the two passages form one list.
    expect(text).toMatch(/^4\. Lancement et comité de pilotage/m);
    expect(text).toMatch(/^7\. Évaluation finale/m);
    expect(text).not.toMatch(/^1\. (Lancement|Évaluation finale)/m);
    expect(reply.citations).toHaveLength(1);
  });
});

describe("refusals", () => {
  for (const [lang, question] of [
    ["fr", "recette de la tarte tatin"],
    ["fr", "quel temps fera-t-il demain à Lyon ?"],
    ["en", "What is the capital of Australia?"],
    ["en", "How do I change a flat tyre on my bike?"],
  ] as const) {
    it(`${lang}: ${question}`, async () => {
      const reply = await engine.ask({ question, channel: "test" });
      expect(reply.answered).toBe(false);
      expect(reply.mode).toBe("refusal");
      expect(reply.lang).toBe(lang);
      expect(spansText(reply.lead)).toBe(PHRASES.refusalLead[lang]);
      expect(reply.citations).toEqual([]);
      expect(reply.sources).toEqual([]);
      expect(reply.body.every((b) => b.cites.length === 0)).toBe(true);
      // Two or three lines: nothing near for these, so no sheet is suggested and the kit's field is named instead.
      expect(reply.suggestions).toEqual([]);
      expect(reply.body).toEqual([{ type: "paragraph", spans: [{ text: PHRASES.refusalNothingNear[lang] }], cites: [] }]);
      for (const s of reply.suggestions) {
        expect(s.type).toBe("sheet");
        if (s.type === "sheet") expect(s.label).toBe(index.passages(s.id, lang)[0]!.title);
      }
      const text = answerText(reply);
      expect(text.split("\n").filter(Boolean).length).toBeLessThanOrEqual(3);
      expect(text.length).toBeLessThan(400);
    });
  }

  it("names the nearest sheets (at most three, titled in the reply language) when the question touches the kit's field", async () => {
    // "calendrier" is a word of the kit; the winter sales are not.
    const reply = await engine.ask({ question: "Quel est le calendrier des soldes d'hiver ?", channel: "test" });
    expect(reply).toMatchObject({ answered: false, mode: "refusal", lang: "fr", citations: [], sources: [] });
    expect(spansText(reply.lead)).toBe(PHRASES.refusalLead.fr);
    expect(reply.body).toEqual([{ type: "paragraph", spans: [{ text: PHRASES.refusalNear.fr }], cites: [] }]);
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    expect(reply.suggestions[0]).toMatchObject({ type: "sheet", id: "calendrier-projet" });
    for (const s of reply.suggestions) {
      expect(s.type).toBe("sheet");
      if (s.type === "sheet") expect(s.label).toBe(index.passages(s.id, "fr")[0]!.title);
    }
    expect(replyToText(reply).split("\n").filter(Boolean).length).toBeLessThanOrEqual(2 + reply.suggestions.length);

    // Of many close sheets, the three best.
    const broad = await index.search("comité de pilotage, budget, calendrier, évaluation et indicateurs");
    const kitSheets = [...new Set(broad.hits.filter((h) => h.chunk.kind === "kit").map((h) => h.chunk.docId))];
    expect(kitSheets.length).toBeGreaterThan(3);
    expect(composeRefusal(index, broad).suggestions.map((s) => (s.type === "sheet" ? s.id : s.type))).toEqual(kitSheets.slice(0, 3));
  });

  it("answers an empty question with an invitation, and cuts pasted documents to the question limit", async () => {
    const empty = await engine.ask({ question: "   \n ", channel: "test" });
    expect(empty.answered).toBe(false);
    expect(empty.question).toBe("");
    expect(spansText(empty.lead)).toBe(PHRASES.emptyQuestion.fr);
    expect(empty.answerId).toBeTruthy();

    const long = await engine.ask({ question: `comment structurer un diagnostic partagé ? ${"blabla ".repeat(400)}`, channel: "test" });
    expect(long.question.length).toBeLessThanOrEqual(1000);
    expect(answerText(long).length).toBeLessThan(3500);
  });
});
