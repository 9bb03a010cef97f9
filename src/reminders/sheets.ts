/** The kit sheets a milestone can name, with what a reminder quotes from them: title, summary and checklist. */
import { loadKnowledge } from "../knowledge/loader.js";
import { markdownSections, LIST_ITEM } from "../shared/markdown.js";
import type { Lang } from "./plan.js";

/** What a reminder shows of a kit sheet, in one language. */
export interface SheetDigest {
  id: string;
  title: string;
  summary: string;
  /** The heads of the sheet's steps (at most five), e.g. "Cadrer le diagnostic comme un projet à part entière". */
  checklist: string[];
}

/** Kit sheets by id and language. */
export class SheetCatalog {
  constructor(private readonly sheets: ReadonlyMap<string, Partial<Record<Lang, SheetDigest>>>) {}

  /** Reads the kit sheets (kind `kit`) of a knowledge directory. */
  static async load(knowledgeDir: string): Promise<SheetCatalog> {
    const { documents } = await loadKnowledge(knowledgeDir);
    const sheets = new Map<string, Partial<Record<Lang, SheetDigest>>>();
    for (const doc of documents) {
      if (doc.meta.kind !== "kit") continue;
      const entry = sheets.get(doc.meta.id) ?? {};
      entry[doc.meta.lang] = { id: doc.meta.id, title: doc.meta.title, summary: doc.meta.summary, checklist: checklistOf(doc.body) };
      sheets.set(doc.meta.id, entry);
    }
    return new SheetCatalog(sheets);
  }

  /** The sheet ids a plan may name. */
  ids(): Set<string> {
    return new Set(this.sheets.keys());
  }

  /** The sheet in `lang`, else in the other language; undefined for an unknown id. */
  get(id: string, lang: Lang): SheetDigest | undefined {
    const entry = this.sheets.get(id);
    return entry?.[lang] ?? entry?.[lang === "fr" ? "en" : "fr"];
  }
}

/** Sections a checklist is taken from, in order of preference: the steps, else the questions to ask the partner. */
const CHECKLIST_SECTIONS = [/^(étapes|steps)\b/i, /^(phases et jalons|phases and milestones)$/i, /^(questions à poser|questions to ask)/i];

/** The bold heads (or first clauses) of the items of the sheet's steps section (or its questions to ask). */
function checklistOf(body: string, max = 5): string[] {
  const sections = markdownSections(body).filter((s) => s.path.length === 1);
  const section = CHECKLIST_SECTIONS.map((re) => sections.find((s) => re.test(s.path[0]!))).find(Boolean);
  if (!section) return [];
  const items = section.blocks.flatMap((b) => b.split("\n")).filter((line) => LIST_ITEM.test(line));
  return items.slice(0, max).map((line) => {
    const text = line.replace(LIST_ITEM, "");
    const bold = /^\*\*(.+?)\*\*/.exec(text);
    const head = (bold ? bold[1]! : text.split(/\s?[:;–]\s|\.\s/)[0]!).replace(/\[([^\]]+)\]\([^)]*\)/g, "$1").trim();
    return head.length > 140 ? `${head.slice(0, 139)}…` : head;
  });
}
