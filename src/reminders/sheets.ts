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

const STEP_SECTIONS = /^(étapes|steps|phases et jalons|phases and milestones)$/i;

/** The bold heads (or first clauses) of the items of the sheet's steps section. */
export function checklistOf(body: string, max = 5): string[] {
  const section = markdownSections(body).find((s) => s.path.length === 1 && STEP_SECTIONS.test(s.path[0]!));
  if (!section) return [];
  const items = section.blocks.flatMap((b) => b.split("\n")).filter((line) => LIST_ITEM.test(line));
  return items.slice(0, max).map((line) => {
    const text = line.replace(LIST_ITEM, "");
    const bold = /^\*\*(.+?)\*\*/.exec(text);
    return (bold ? bold[1]! : text.split(/ [:;–] |\. /)[0]!).replace(/\[([^\]]+)\]\([^)]*\)/g, "$1").trim();
  });
}
