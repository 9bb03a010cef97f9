/** The local OpenAI-compatible server used by the tests speaks the wire format real clients expect. */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI, embedText, promptPassages } from "../support/openai-server.js";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await FakeOpenAI.start({ apiKey: "sk-FAKE-wire" });
  client = new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-FAKE-wire", maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: "Bearer sk-FAKE-wire" }) =>
  fetch(`${fake.baseURL}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("FakeOpenAI", () => {
  it("answers chat completions (official client), recording path, headers and body", async () => {
    fake.reply((body) => `echo: ${body.messages.at(-1)!.content as string}`);
    const completion = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "bonjour" }] });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("m");
    expect(completion.choices[0]!.message).toMatchObject({ role: "assistant", content: "echo: bonjour" });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", body: { model: "m" } });
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer sk-FAKE-wire");
  });

  it("streams Server-Sent Events: chat.completion.chunk deltas, a usage chunk on request, then [DONE]", async () => {
    fake.reply(() => "Une réponse diffusée en plusieurs morceaux [1].");
    const response = await post("/chat/completions", { model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "q" }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { object: string; choices: Array<{ delta: { content?: string; role?: string }; finish_reason: string | null }>; usage?: object });
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const content = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(content.length).toBeGreaterThan(5);
    expect(content.map((c) => c.choices[0]!.delta.content).join("")).toBe("Une réponse diffusée en plusieurs morceaux [1].");
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "stop")).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });

    const stream = await client.chat.completions.create({ model: "m", stream: true, messages: [{ role: "user", content: "q" }] });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Une réponse diffusée en plusieurs morceaux [1].");
  });

  it("validates requests like the API: 400 without model or messages, 401 without the right key, 404 elsewhere", async () => {
    const noModel = await post("/chat/completions", { messages: [{ role: "user", content: "q" }] });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: { message: string; param: string } }).error).toMatchObject({ param: "model", message: expect.stringContaining("model") });
    expect((await post("/chat/completions", { model: "m" })).status).toBe(400);
    expect((await post("/chat/completions", { model: "m", messages: [] })).status).toBe(400);
    expect((await post("/chat/completions", { model: "m", messages: [{ role: "wizard", content: "q" }] })).status).toBe(400);
    expect((await post("/embeddings", { input: "x" })).status).toBe(400);
    expect((await post("/embeddings", { model: "e" })).status).toBe(400);

    const missing = await post("/chat/completions", { model: "m", messages: [{ role: "user", content: "q" }] }, {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("missing_api_key");
    expect((await post("/embeddings", { model: "e", input: "x" }, { authorization: "Bearer sk-FAKE-other" })).status).toBe(401);
    await expect(new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-FAKE-other", maxRetries: 0 }).embeddings.create({ model: "e", input: "x" })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    expect((await post("/models/list", {})).status).toBe(404);
  });

  it("fails the next N calls with the programmed status, then recovers", async () => {
    fake.fail(429, "Rate limit reached", 2);
    await expect(client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] })).rejects.toMatchObject({ status: 429 });
    await expect(client.embeddings.create({ model: "e", input: "x" })).rejects.toMatchObject({ status: 429, message: expect.stringContaining("Rate limit reached") });
    await expect(client.embeddings.create({ model: "e", input: "x" })).resolves.toMatchObject({ object: "list" });
  });

  it("delays its answers, and gives up on a client that went away", async () => {
    fake.delay(10_000);
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it("returns deterministic, normalised embeddings (float or base64) with the model and usage", async () => {
    fake.setDimension(16);
    const floats = await post("/embeddings", { model: "emb", input: ["comité de pilotage", "comite de pilotage annuel", "tarte tatin"], encoding_format: "float" });
    const body = (await floats.json()) as { object: string; model: string; data: Array<{ object: string; index: number; embedding: number[] }>; usage: { prompt_tokens: number; total_tokens: number } };
    expect(body).toMatchObject({ object: "list", model: "emb" });
    expect(body.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ["embedding", 0, 16],
      ["embedding", 1, 16],
      ["embedding", 2, 16],
    ]);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    const [a, b, c] = body.data.map((d) => d.embedding);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(a).toEqual(embedText("comité de pilotage", 16));

    // The official client asks for base64 and decodes it: same vectors.
    const viaClient = await client.embeddings.create({ model: "emb", input: "comité de pilotage", dimensions: 8 });
    expect(fake.requests.at(-1)!.body.encoding_format).toBe("base64");
    expect(viaClient.data[0]!.embedding).toHaveLength(8);
    const expected = embedText("comité de pilotage", 8);
    viaClient.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(fake.embeddedInputs().slice(-1)).toEqual(["comité de pilotage"]);
  });

  it("reads back the numbered passages of an answer prompt", () => {
    const passages = promptPassages({ model: "m", messages: [{ role: "system", content: "Règles.\n\nPassages :\n\n[1] Titre › A\nTexte un.\n\n[2] Titre › B\nTexte deux." }] });
    expect([...passages.entries()]).toEqual([
      [1, "Titre › A\nTexte un."],
      [2, "Titre › B\nTexte deux."],
    ]);
  });
});
