import { describe, expect, it } from "vitest";
import type { KnowledgeDocument } from "../../src/knowledge/document.js";
import { FrontMatterSchema } from "../../src/knowledge/schema.js";
import { chunkDocument } from "../../src/retrieval/chunker.js";
import { LIST_ITEM } from "../../src/shared/markdown.js";
import { frontMatter, type SheetSpec } from "../fixtures/knowledge.js";

function doc(body: string, spec: Partial<SheetSpec> = {}): KnowledgeDocument {
  const id = spec.id ?? "fiche";
  const lang = spec.lang ?? "fr";
  const meta = FrontMatterSchema.parse(frontMatter({ id, lang, ...spec }));
  return { path: `kit/${id}.${lang}.md`, hash: "test", format: "markdown", meta, body };
}

/** The top-level items of a numbered list (`1.`, `2.`…) in a passage, with their continuation lines. */
function numberedItems(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\d+\.\s/.test(line)) items.push(line);
    else if (items.length && line.trim()) items[items.length - 1] += `\n${line}`;
  }
  return items;
}

const longSteps = Array.from(
  { length: 14 },
  (_, i) =>
    `${i + 1}. **Étape ${i + 1}** : une description assez longue de l'étape ${i + 1}, avec ses acteurs, ses moyens et son calendrier.\n` +
    `   - premier détail de l'étape ${i + 1}\n` +
    `   - second détail de l'étape ${i + 1}`,
).join("\n");

describe("chunker", () => {
  it("keeps the heading path of each passage, without the document title", () => {
    const body = [
      "# Titre de la fiche",
      "",
      "Un chapeau avant toute section.",
      "",
      "## En bref",
      "",
      "Le résumé de la fiche.",
      "",
      "## Étapes",
      "",
      "1. Cadrer.",
      "2. Conduire.",
      "",
      "### Préparer",
      "",
      "Préparer la mission.",
      "",
      "#### Budget",
      "",
      "Chiffrer la mission.",
      "",
      "### Restituer",
      "",
      "Restituer les constats.",
      "",
      "## Points de vigilance",
      "",
      "Ne pas décider seul.",
    ].join("\n");
    const chunks = chunkDocument(doc(body), { maxChars: 60 });
    expect(chunks.map((c) => [c.section, c.text])).toEqual([
      ["", "Un chapeau avant toute section."],
      ["En bref", "Le résumé de la fiche."],
      ["Étapes", "1. Cadrer.\n2. Conduire."],
      ["Étapes › Préparer", "Préparer la mission."],
      ["Étapes › Préparer › Budget", "Chiffrer la mission."],
      ["Étapes › Restituer", "Restituer les constats."],
      ["Points de vigilance", "Ne pas décider seul."],
    ]);
  });

  it("never cuts a long numbered list in the middle of an item", () => {
    const chunks = chunkDocument(doc(`# T\n\n## Étapes\n\n${longSteps}\n`), { maxChars: 500 });
    expect(chunks.length).toBeGreaterThan(2);
    const expected = numberedItems(longSteps);
    const seen: string[] = [];
    for (const chunk of chunks) {
      expect(chunk.section).toBe("Étapes");
      // Every passage starts with an item, and every item it holds is complete (with its sub-items).
      expect(chunk.text).toMatch(/^\d+\.\s/);
      for (const item of numberedItems(chunk.text)) {
        expect(expected).toContain(item);
        seen.push(item);
      }
    }
    expect(seen).toEqual(expected);
  });

  it("splits an oversized list only between items, each passage within the size", () => {
    const items = Array.from({ length: 20 }, (_, i) => `- point ${i + 1} : une ligne de liste de longueur moyenne pour remplir`).join("\n");
    const chunks = chunkDocument(doc(`## Liste\n\n${items}`), { maxChars: 300 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300);
      for (const line of chunk.text.split("\n")) expect(line).toMatch(LIST_ITEM);
    }
    expect(chunks.map((c) => c.text).join("\n")).toBe(items);
  });

  it("never splits a list that fits, even when the passage before it is full", () => {
    const intro = "Une introduction assez longue qui remplit presque tout le passage précédent, sans laisser de place.";
    const list = ["1. Premier point.", "2. Deuxième point.", "3. Troisième point.", "4. Quatrième point."].join("\n");
    const chunks = chunkDocument(doc(`## Étapes\n\n${intro}\n\n${list}\n\nUne conclusion.`), { maxChars: 140 });
    const holding = chunks.filter((c) => /^\d+\./m.test(c.text));
    expect(holding).toHaveLength(1);
    expect(holding[0]!.text).toContain(list);
  });

  it("keeps a list with blank lines and continuation paragraphs in one passage", () => {
    const list = "1. Premier point.\n\n   Suite du premier point.\n\n2. Deuxième point.\n3. Troisième point.";
    const chunks = chunkDocument(doc(`## Étapes\n\n${list}\n`), { maxChars: 1400 });
    expect(chunks).toHaveLength(1);
    expect(numberedItems(chunks[0]!.text)).toEqual(["1. Premier point.\n   Suite du premier point.", "2. Deuxième point.", "3. Troisième point."]);
  });

  it("keeps a table whole, even when it is larger than a passage", () => {
    const rows = Array.from({ length: 20 }, (_, i) => `| Ligne ${i + 1}. Avec un point. | valeur ${i + 1} |`);
    const table = ["| Rubrique | Valeur |", "|---|---|", ...rows].join("\n");
    const small = chunkDocument(doc(`## Budget\n\nAvant le tableau.\n\n${table}\n\nAprès le tableau.`), { maxChars: 2000 });
    expect(small.filter((c) => c.text.includes("|"))).toHaveLength(1);
    expect(small[0]!.text).toContain(table);

    const big = chunkDocument(doc(`## Budget\n\nAvant le tableau.\n\n${table}\n\nAprès le tableau.`), { maxChars: 300 });
    const withTable = big.filter((c) => c.text.includes("|"));
    expect(withTable).toHaveLength(1);
    expect(withTable[0]!.text).toBe(table);
    expect(big.map((c) => c.text)).toEqual(["Avant le tableau.", table, "Après le tableau."]);
  });

  it("drops link-only 'related sheets' lists but keeps prose that contains links", () => {
    const body = [
      "## En bref",
      "",
      "Le diagnostic se prépare avec le partenaire (voir [Acteurs](acteurs.fr.md)) avant toute décision.",
      "",
      "## Fiches liées",
      "",
      "- [Acteurs et partenariat](acteurs-partenariat.fr.md)",
      "- [Co-construction du programme](co-construction.fr.md)",
      "- [Meurthe-et-Moselle – Sidi Kacem](../cases/meurthe-et-moselle-sidi-kacem.fr.md)",
    ].join("\n");
    const chunks = chunkDocument(doc(body));
    expect(chunks.map((c) => c.section)).toEqual(["En bref"]);
    expect(chunks[0]!.text).toContain("[Acteurs](acteurs.fr.md)");
    expect(chunks.some((c) => c.text.includes("co-construction.fr.md"))).toBe(false);
  });

  it("names passages <id>.<lang>#<n> in reading order, stable across runs", () => {
    const body = `# T\n\n## A\n\n${"Une phrase de remplissage. ".repeat(40)}\n\n## B\n\nFin.`;
    const first = chunkDocument(doc(body, { id: "gouvernance", lang: "en" }), { maxChars: 300 });
    const again = chunkDocument(doc(body, { id: "gouvernance", lang: "en" }), { maxChars: 300 });
    expect(first.map((c) => c.chunkId)).toEqual(first.map((_, i) => `gouvernance.en#${i}`));
    expect(first.map((c) => c.position)).toEqual(first.map((_, i) => i));
    expect(again).toEqual(first);
    expect(first.at(-1)).toMatchObject({ section: "B", text: "Fin." });
  });

  it("copies the document's metadata and facets onto each passage", () => {
    const chunks = chunkDocument(doc("## En bref\n\nUn cas.", { id: "cas", kind: "case", meta: { country: ["SN"], themes: ["health"], related: ["fiche"], keywords: ["puits"] } }));
    expect(chunks[0]).toMatchObject({
      chunkId: "cas.fr#0",
      docId: "cas",
      lang: "fr",
      kind: "case",
      path: "kit/cas.fr.md",
      url: "https://example.org/source",
      country: ["SN"],
      themes: ["health"],
      publics: ["children"],
      related: ["fiche"],
      keywords: ["puits"],
      basis: ["practice"],
    });
  });
});
