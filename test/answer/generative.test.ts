/** The generative path against a local OpenAI-compatible server: prompt, grounding, streaming, refusals, fallbacks, rewriting. */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryConversationStore } from "../../src/answer/conversation.js";
import { OpenAIGenerator } from "../../src/answer/openai-generator.js";
import { createGenerator } from "../../src/cli/runtime.js";
import { answerText } from "../../src/answer/render-text.js";
import { spansText, type Reply } from "../../src/answer/reply.js";
import { PHRASES } from "../../src/shared/texts.js";
import { loadConfig } from "../../src/config/config.js";
import type { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { sharedIndex, testEngine } from "../support/assistant.js";
import { FakeOpenAI, promptPassages, systemPrompt, userMessage, type ChatBody } from "../support/openai-server.js";

let fake: FakeOpenAI;
let index: KnowledgeIndex;

beforeAll(async () => {
  fake = await FakeOpenAI.start({ apiKey: "sk-FAKE-test-key" });
  index = await sharedIndex();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function generator(timeoutMs = 10_000): OpenAIGenerator {
  return new OpenAIGenerator({ baseURL: fake.baseURL, model: "fake-chat", apiKey: "sk-FAKE-test-key", timeoutMs, index: () => index });
}

/** The fixed part of a prompt file, before its passages. */
function promptHead(file: string): string {
  return readFileSync(new URL(`../../prompts/${file}`, import.meta.url), "utf8")
    .split("{{")[0]!
    .trim();
}

/** Plain text of everything a reply shows (lead and body). */
function shown(reply: Reply): string {
  return [spansText(reply.lead), ...reply.body.map((b) => ("items" in b ? b.items.map(spansText).join("\n") : spansText(b.spans)))].join("\n");
}

const isRewrite = (body: ChatBody) => /Réécris le dernier message|Rewrite the user's last message/.test(systemPrompt(body));
/** The answer requests (not the rewrites). */
const answerRequests = () => fake.chatRequests().filter((r) => !isRewrite(r.body));

describe("generative answers (OpenAIGenerator + AnswerEngine)", () => {
  it("sends the French prompt file with the numbered retrieved passages, streams, and keeps only retrieved citations", async () => {
    fake.reply((body) => {
      const passages = promptPassages(body);
      expect(passages.size).toBeGreaterThanOrEqual(2);
      return [
        "Pour structurer un diagnostic partagé, on avance par étapes [2].",
        "1. Cadrer le diagnostic comme un projet à part entière [2]\n2. Rassembler l'existant [1][2]\n3. Restituer et valider les constats [1]",
        "Attention aux diagnostics faits pour le partenaire [9].",
      ].join("\n\n");
    });
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "test" });

    const [request] = fake.chatRequests();
    expect(request).toBeDefined();
    expect(request!.body.stream).toBe(true);
    expect(request!.body.model).toBe("fake-chat");
    expect(request!.headers.authorization).toBe("Bearer sk-FAKE-test-key");
    const system = systemPrompt(request!.body);
    expect(system.startsWith(promptHead("answer.fr.md"))).toBe(true);
    expect(system).not.toContain("{{passages}}");
    expect(userMessage(request!.body)).toBe("comment structurer un diagnostic partagé ?");
    const passages = promptPassages(request!.body);
    expect([...passages.keys()]).toEqual([...Array(passages.size).keys()].map((i) => i + 1));
    expect(passages.size).toBeLessThanOrEqual(5);

    expect(reply.answered).toBe(true);
    expect(reply.mode).toBe("generative");
    expect(spansText(reply.lead)).toBe("Pour structurer un diagnostic partagé, on avance par étapes.");
    // [2] is cited first, so it becomes 1; [1] becomes 2; [9] matches no passage and is dropped.
    expect(reply.citations.map((c) => c.n)).toEqual([1, 2]);
    const header = (n: number) => passages.get(n)!.split("\n")[0]!;
    expect(header(2).startsWith(reply.citations[0]!.title)).toBe(true);
    expect(header(1).startsWith(reply.citations[1]!.title)).toBe(true);
    const retrieved = new Set(reply.sources.map((s) => s.id));
    for (const c of reply.citations) expect(retrieved.has(c.id)).toBe(true);
    const steps = reply.body.find((b) => b.type === "steps");
    expect(steps?.type === "steps" && steps.items.map(spansText)).toEqual(["Cadrer le diagnostic comme un projet à part entière", "Rassembler l'existant", "Restituer et valider les constats"]);
    expect(steps?.cites).toEqual([1, 2]);
    expect(shown(reply)).not.toMatch(/\[\d+\]/);
    expect(reply.notes).not.toContain(PHRASES.unsourced.fr);
    // Suggestions still come from the kit.
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });

  it("assembles a long streamed reply from many small SSE chunks", async () => {
    const items = Array.from({ length: 12 }, (_, i) => `${i + 1}. Étape numéro ${i + 1} de la démarche, décrite en détail pour allonger le flux [1]`);
    const text = ["Voici une réponse longue et complète, envoyée morceau par morceau [1].", items.join("\n")].join("\n\n");
    fake.reply(() => text);
    const reply = await generator().answer(await index.search("comment structurer un diagnostic partagé ?"), "fr");
    expect(fake.chatRequests()[0]!.body.stream).toBe(true);
    expect(spansText(reply.lead)).toBe("Voici une réponse longue et complète, envoyée morceau par morceau.");
    const steps = reply.body.find((b) => b.type === "steps");
    expect(steps?.type === "steps" && steps.items.map(spansText)).toEqual(items.map((i) => i.replace(/^\d+\. /, "").replace(" [1]", "")));
  });

  it("keeps the numbers of a list the model starts later than 1, and renders them", async () => {
    fake.reply(() => "Les dernières phases du projet [1].\n\n4. Évaluation finale [1]\n5. Capitalisation [1]");
    const reply = await generator().answer(await index.search("quelles sont les phases d'un projet de coopération ?"), "fr");
    const steps = reply.body.find((b) => b.type === "steps");
    expect(steps).toMatchObject({ type: "steps", start: 4 });
    expect(answerText({ ...reply, answerId: "x" })).toContain("4. Évaluation finale\n5. Capitalisation [1]");
  });

  it("uses the English prompt for an English question", async () => {
    fake.reply(() => "The steering committee brings both partners together [1].");
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "Who should sit on the steering committee?", channel: "test" });
    expect(systemPrompt(fake.chatRequests()[0]!.body).startsWith(promptHead("answer.en.md"))).toBe(true);
    expect(reply.lang).toBe("en");
    expect(reply.mode).toBe("generative");
    expect(reply.citations).toHaveLength(1);
  });

  it("shows a reply that cites only passages that were not retrieved without citations, with the 'not sourced' note", async () => {
    fake.reply(() => "Le diagnostic se fait en trois mois [9].\n\n- Une mission sur place [12]");
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "test" });
    expect(reply.answered).toBe(true);
    expect(reply.mode).toBe("generative");
    expect(reply.citations).toEqual([]);
    expect(reply.body.every((b) => b.cites.length === 0)).toBe(true);
    expect(reply.notes).toContain(PHRASES.unsourced.fr);
    expect(shown(reply)).toContain("Le diagnostic se fait en trois mois.");
    expect(shown(reply)).not.toContain("[9]");
  });

  it("turns NO_ANSWER into a refusal", async () => {
    fake.reply(() => "NO_ANSWER");
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "test" });
    expect(fake.chatRequests()).toHaveLength(1);
    expect(reply.answered).toBe(false);
    expect(reply.mode).toBe("refusal");
    expect(reply.citations).toEqual([]);
    expect(spansText(reply.lead)).toBe(PHRASES.refusalLead.fr);
    // The passages were near: the refusal points to their sheets, three at most.
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    expect(reply.suggestions.map((s) => s.type === "sheet" && s.id)).toContain("diagnostic-partage");
  });

  it("lets the model decide, from the passages, on a question the words alone do not settle", async () => {
    fake.reply((body) => (isRewrite(body) ? userMessage(body) : "NO_ANSWER"));
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "recette de la tarte tatin", channel: "test" });
    expect(fake.chatRequests().filter((r) => isRewrite(r.body))).toHaveLength(1);
    expect(answerRequests()).toHaveLength(1);
    expect(promptPassages(answerRequests()[0]!.body).size).toBeGreaterThan(0);
    expect(reply).toMatchObject({ answered: false, mode: "refusal", suggestions: [] });
  });

  it("rewrites an everyday question in the kit's terms before searching, and answers it", async () => {
    fake.reply((body) => (isRewrite(body) ? "« Comment financer une coopération décentralisée ? »\n" : "Plusieurs sources de financement existent [1]."));
    const conversations = new MemoryConversationStore(3600);
    const engine = await testEngine({ generator: generator(), conversations });
    const question = "Bonjour, je suis chargée de mission dans un Département. Le pognon, on le trouve où ?";
    const reply = await engine.ask({ question, conversationId: "gen-rewrite", channel: "test" });

    const rewrite = fake.chatRequests().find((r) => isRewrite(r.body))!;
    const prompt = systemPrompt(rewrite.body);
    expect(prompt.startsWith(promptHead("rewrite.fr.md"))).toBe(true);
    // The kit's sheets are named so the model can use their terms.
    expect(prompt).toContain(index.document("financements", "fr")!.title);
    expect(prompt).toContain(`Dernier message : ${question}`);
    expect(userMessage(answerRequests()[0]!.body)).toBe("Comment financer une coopération décentralisée ?");
    expect(reply).toMatchObject({ answered: true, mode: "generative", question });
    expect(reply.sources[0]?.id).toBe("financements");
    expect((await conversations.get("gen-rewrite")).turns[0]!.standalone).toBe("Comment financer une coopération décentralisée ?");
  });

  it("searches the question as written when the rewrite is unusable", async () => {
    fake.reply((body) => (isRewrite(body) ? "Le financement vient du Département [1]." : "NO_ANSWER"));
    const engine = await testEngine({ generator: generator() });
    await engine.ask({ question: "Le pognon, on le trouve où ?", channel: "test" });
    expect(fake.chatRequests().filter((r) => isRewrite(r.body))).toHaveLength(1);
    expect(userMessage(answerRequests()[0]!.body)).toBe("Le pognon, on le trouve où ?");
  });

  it("falls back to the extractive answer when the model does not answer in time", async () => {
    fake.delay(5_000);
    const engine = await testEngine({ generator: generator(300) });
    const reply = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "test" });
    expect(fake.chatRequests()).toHaveLength(1);
    expect(reply.answered).toBe(true);
    expect(reply.mode).toBe("extractive");
    expect(reply.notes[0]).toBe(PHRASES.modelFallback.fr);
    expect(reply.citations[0]?.id).toBe("diagnostic-partage");
  });

  it("falls back to the extractive answer when the model fails (500)", async () => {
    fake.fail(500, "The server had an error while processing your request.");
    const engine = await testEngine({ generator: generator() });
    const reply = await engine.ask({ question: "How to structure a shared diagnosis?", channel: "test" });
    expect(fake.chatRequests()).toHaveLength(1);
    expect(reply.mode).toBe("extractive");
    expect(reply.lang).toBe("en");
    expect(reply.notes[0]).toBe(PHRASES.modelFallback.en);
    expect(reply.citations[0]?.id).toBe("diagnostic-partage");
  });

  it("falls back when the API key is refused (401)", async () => {
    const wrong = new OpenAIGenerator({ baseURL: fake.baseURL, model: "fake-chat", apiKey: "sk-FAKE-wrong", timeoutMs: 10_000, index: () => index });
    const engine = await testEngine({ generator: wrong });
    const reply = await engine.ask({ question: "comment structurer un diagnostic partagé ?", channel: "test" });
    expect(fake.chatRequests()).toHaveLength(1);
    expect(reply.mode).toBe("extractive");
    expect(reply.notes[0]).toBe(PHRASES.modelFallback.fr);
  });

  it("rewrites a follow-up with the conversation and searches the rewritten question", async () => {
    fake.reply((body) => {
      if (isRewrite(body)) return "Quels acteurs associer au diagnostic partagé avec le territoire partenaire ?\n";
      return "Il faut associer les acteurs des deux territoires [1].";
    });
    const conversations = new MemoryConversationStore(3600);
    const engine = await testEngine({ generator: generator(), conversations });
    await engine.ask({ question: "comment structurer un diagnostic partagé ?", conversationId: "gen-1", channel: "test" });
    const reply = await engine.ask({ question: "et qui doit y participer ?", conversationId: "gen-1", channel: "test" });

    const rewrite = fake.chatRequests().find((r) => isRewrite(r.body));
    expect(rewrite).toBeDefined();
    const prompt = systemPrompt(rewrite!.body);
    expect(prompt.startsWith(promptHead("rewrite.fr.md"))).toBe(true);
    expect(prompt).toContain("- comment structurer un diagnostic partagé ?");
    expect(prompt).toContain("Dernier message : et qui doit y participer ?");

    const state = await conversations.get("gen-1");
    expect(state.turns.map((t) => t.standalone)).toEqual(["comment structurer un diagnostic partagé ?", "Quels acteurs associer au diagnostic partagé avec le territoire partenaire ?"]);
    expect(reply.mode).toBe("generative");
    expect(reply.question).toBe("et qui doit y participer ?");
    expect(reply.sources.some((s) => s.id === "diagnostic-partage" || s.id === "acteurs-partenariat")).toBe(true);
  });

  it("keeps the conversation going when the rewrite fails (the topic is carried instead)", async () => {
    const conversations = new MemoryConversationStore(3600);
    const engine = await testEngine({ generator: generator(), conversations });
    fake.reply(() => "Réponse [1].");
    await engine.ask({ question: "comment structurer un diagnostic partagé ?", conversationId: "gen-2", channel: "test" });
    fake.fail(503, "overloaded", 2);
    const reply = await engine.ask({ question: "et qui doit y participer ?", conversationId: "gen-2", channel: "test" });
    const state = await conversations.get("gen-2");
    expect(state.turns[1]!.standalone).toBe("comment structurer un diagnostic partagé ? et qui doit y participer ?");
    expect(reply.answered).toBe(true);
    expect(reply.notes).toContain(PHRASES.modelFallback.fr);
  });

  it("createGenerator reads the LLM settings from the configuration", async () => {
    expect(createGenerator(loadConfig({}), () => index)).toBeUndefined();
    const configured = createGenerator(loadConfig({ LLM_BASE_URL: fake.baseURL, LLM_MODEL: "configured-model", LLM_API_KEY: "sk-FAKE-test-key", LLM_TIMEOUT_MS: "5000" }), () => index);
    expect(configured).toBeInstanceOf(OpenAIGenerator);
    fake.reply(() => "Réponse sourcée [1].");
    const reply = await configured!.answer(await index.search("qu'est-ce que le diagnostic partagé ?"), "fr");
    expect(fake.chatRequests()[0]!.body.model).toBe("configured-model");
    expect(fake.chatRequests()[0]!.headers.authorization).toBe("Bearer sk-FAKE-test-key");
    expect(reply.citations).toHaveLength(1);
  });
});
