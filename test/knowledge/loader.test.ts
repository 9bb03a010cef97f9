import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { loadFile, loadKnowledge, listKnowledgeFiles } from "../../src/knowledge/loader.js";
import { ingest } from "../../src/retrieval/ingest.js";
import { KnowledgeIndex } from "../../src/retrieval/knowledge-index.js";
import { knowledgeTree, removeDir, sheet, tempDir } from "../fixtures/knowledge.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});
async function tree(files: Parameters<typeof knowledgeTree>[1]): Promise<string> {
  const dir = await knowledgeTree("loader", files);
  dirs.push(dir);
  return dir;
}

/** A PDF with one page per entry, each page a few lines of text, and document properties. */
async function makePdf(pages: string[][], props: { title?: string; author?: string; subject?: string; language?: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (props.title) pdf.setTitle(props.title);
  if (props.author) pdf.setAuthor(props.author);
  if (props.subject) pdf.setSubject(props.subject);
  if (props.language) pdf.setLanguage(props.language);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((text, i) => page.drawText(text, { x: 50, y: 780 - i * 18, size: 12, font }));
  }
  return pdf.save();
}

describe("loader: front matter", () => {
  it("reports a file with bad front matter by file and field while the other files still load", async () => {
    const dir = await tree({
      "kit/good.en.md": sheet({ id: "good", lang: "en", words: 50 }),
      "kit/bad.fr.md": sheet({ id: "bad", lang: "fr", meta: { sources: [] } }),
      "cases/other.fr.md": sheet({ id: "other", lang: "fr", kind: "case", meta: { themes: ["cooking"] } }),
      "cases/fine.fr.md": sheet({ id: "fine", lang: "fr", kind: "case", words: 30 }),
    });
    const { documents, errors } = await loadKnowledge(dir);
    expect(documents.map((d) => d.path)).toEqual(["cases/fine.fr.md", "kit/good.en.md"]);
    expect(errors).toEqual([
      { path: "cases/other.fr.md", field: "themes.0", message: expect.stringMatching(/^themes\.0: /) },
      { path: "kit/bad.fr.md", field: "sources", message: expect.stringMatching(/^sources: /) },
    ]);
  });

  it("counts the other issues of a file in its message", async () => {
    const dir = await tree({ "kit/bad.fr.md": sheet({ id: "bad", lang: "fr", meta: { title: "x", summary: "y" } }) });
    const { errors } = await loadKnowledge(dir);
    expect(errors).toEqual([{ path: "kit/bad.fr.md", field: "title", message: expect.stringMatching(/^title: .*\(and 1 more\)$/) }]);
  });

  it("parses front matter into typed metadata and keeps the body without it", async () => {
    const dir = await tree({ "cases/puits.fr.md": sheet({ id: "puits", lang: "fr", kind: "case", body: "# Puits\n\nLe texte.\n", meta: { years: { from: 2012 } } }) });
    const doc = await loadFile(dir, "cases/puits.fr.md");
    expect("message" in doc).toBe(false);
    if ("message" in doc) return;
    expect(doc.format).toBe("markdown");
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.body).toBe("# Puits\n\nLe texte.");
    expect(doc.meta).toMatchObject({ id: "puits", lang: "fr", kind: "case", country: ["MA"], years: { from: 2012 }, related: [], keywords: [] });
  });

  it("gives a .txt without front matter its id and language from its name", async () => {
    const dir = await tree({ "notes.en.txt": "Plain notes about borehole maintenance.\nSecond line.\n", "kit/sheet.en.md": sheet({ id: "sheet", lang: "en" }) });
    const { documents, errors } = await loadKnowledge(dir);
    expect(errors).toEqual([]);
    const notes = documents.find((d) => d.path === "notes.en.txt");
    expect(notes).toMatchObject({ format: "text", meta: { id: "notes", lang: "en", kind: "document", title: "Notes" } });
    expect(notes?.body).toContain("borehole maintenance");
    expect(notes?.meta.sources[0]?.note).toContain("notes.en.txt");
  });

  it("detects the language of a .txt whose name does not say it, and slugifies its name", async () => {
    const dir = await tree({ "Compte rendu_Mission 2019.txt": "Le comité de pilotage s'est réuni à Dakar avec les élus et les services du Département pour valider le plan d'action." });
    const { documents } = await loadKnowledge(dir);
    expect(documents[0]?.meta).toMatchObject({ id: "compte-rendu-mission-2019", lang: "fr", title: "Compte rendu Mission 2019" });
  });

  it("validates a .txt that has front matter like a sheet", async () => {
    const dir = await tree({ "memo.fr.txt": sheet({ id: "memo", lang: "fr", meta: { kind: "document", lang: "de" } }) });
    const { errors } = await loadKnowledge(dir);
    expect(errors).toEqual([{ path: "memo.fr.txt", field: "lang", message: expect.stringMatching(/^lang: /) }]);
  });

  it("ignores README.md, the glossary and files of other formats", async () => {
    const dir = await tree({ "README.md": "# Editors' notes\n", "glossary.yaml": "terms: []\n", "image.png": "not text", "kit/a.fr.md": sheet({ id: "a", lang: "fr" }) });
    expect(await listKnowledgeFiles(dir)).toEqual(["kit/a.fr.md"]);
  });
});

describe("loader: PDF ingestion", () => {
  let dir: string;
  let indexDir: string;
  let index: KnowledgeIndex;
  let errors: Awaited<ReturnType<typeof ingest>>["errors"];

  beforeAll(async () => {
    const guide = await makePdf(
      [
        ["Introduction to the guide for rural water services."],
        ["The village water committee meets every month with the borehole mechanic.", "It keeps the maintenance fund and records every repair."],
        ["Annex: useful contacts and addresses."],
      ],
      { title: "Guide of the village water committee", author: "Water Network", subject: "How a village water committee runs a borehole", language: "en-GB" },
    );
    dir = await tree({
      "kit/pilotage.en.md": sheet({
        id: "pilotage",
        lang: "en",
        title: "Steering a cooperation",
        body: "# Steering a cooperation\n\n## In short\n\nA steering committee of elected officials from both authorities meets once a year to validate the action plan and the budget.\n",
      }),
      "docs/water-committee.pdf": guide,
      "docs/unreadable.pdf": randomBytes(3000),
    });
    indexDir = await tempDir("loader-index");
    dirs.push(indexDir);
    const result = await ingest({ knowledgeDir: dir, indexDir, embeddings: { provider: "local" } });
    errors = result.errors;
    expect(result.written).toBe(true);
    index = await KnowledgeIndex.load(indexDir, { provider: "local" }, { terms: [] });
  });

  it("turns an unreadable PDF into an error entry instead of a crash", async () => {
    expect(errors).toEqual([{ path: "docs/unreadable.pdf", message: expect.stringMatching(/^unreadable PDF: /) }]);
    const { documents, errors: loadErrors } = await loadKnowledge(dir);
    expect(documents.map((d) => d.path)).toEqual(["docs/water-committee.pdf", "kit/pilotage.en.md"]);
    expect(loadErrors.map((e) => e.path)).toEqual(["docs/unreadable.pdf"]);
  });

  it("finds the PDF passage with its page as section", async () => {
    const result = await index.search("How often does the village water committee meet with the borehole mechanic?");
    const top = result.hits[0]!.chunk;
    expect(top.docId).toBe("water-committee");
    expect(top.section).toBe("p. 2");
    expect(top.text).toContain("meets every month");
    expect(top.chunkId).toBe("water-committee.en#1");
  });

  it("takes the PDF's metadata from its properties and its file name", async () => {
    const chunks = index.passages("water-committee", "en");
    expect(chunks.map((c) => c.section)).toEqual(["p. 1", "p. 2", "p. 3"]);
    expect(chunks[0]).toMatchObject({ docId: "water-committee", lang: "en", kind: "document", title: "Guide of the village water committee", path: "docs/water-committee.pdf" });

    const doc = await loadFile(dir, "docs/water-committee.pdf");
    if ("message" in doc) throw new Error(doc.message);
    expect(doc.format).toBe("pdf");
    expect(doc.meta).toMatchObject({ id: "water-committee", lang: "en", kind: "document", summary: "How a village water committee runs a borehole" });
    expect(doc.meta.sources[0]).toMatchObject({ title: "Guide of the village water committee", publisher: "Water Network" });
    expect(doc.body).toMatch(/^## p\. 1\n\nIntroduction/);
  });

  it("lets the file name's language suffix win over the PDF's language property, and reads a French PDF", async () => {
    const pdfDir = await tree({
      "rapport-mission.fr.pdf": await makePdf([["Le comité de pilotage valide le plan d'action annuel."]], { language: "en-US" }),
      "compte-rendu.pdf": await makePdf([["Le comité de suivi se réunit deux fois par an avec les partenaires."]], {}),
    });
    const named = await loadFile(pdfDir, "rapport-mission.fr.pdf");
    const detected = await loadFile(pdfDir, "compte-rendu.pdf");
    expect(named).toMatchObject({ meta: { id: "rapport-mission", lang: "fr", title: "Rapport mission" } });
    expect(detected).toMatchObject({ meta: { id: "compte-rendu", lang: "fr", title: "Compte rendu" } });
  });

  it("reports a PDF without text as an error", async () => {
    const pdfDir = await tree({ "scan.pdf": await makePdf([[]], { title: "Scanned report" }) });
    const { documents, errors: scanErrors } = await loadKnowledge(pdfDir);
    expect(documents).toEqual([]);
    expect(scanErrors).toEqual([{ path: "scan.pdf", message: expect.stringMatching(/no extractable text/) }]);
  });
});
