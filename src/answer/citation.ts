/** A citation of a passage, pointing to the reference of its document that the passage draws on. */
import type { Source } from "../knowledge/schema.js";
import type { Chunk } from "../retrieval/chunk.js";
import type { KnowledgeIndex } from "../retrieval/knowledge-index.js";
import { words } from "../shared/text.js";
import type { Citation } from "./reply.js";

/** Citation number `n` of a passage, linking to the source the passage names, else to the document's only link. */
export function citationOf(index: KnowledgeIndex, chunk: Chunk, n: number): Citation {
  const sources = index.documentSources(chunk.docId, chunk.lang);
  // Without a source named in the passage, a document's first link is only trusted when it is unambiguous.
  const fallback = sources.length === 1 || chunk.kind === "case" ? chunk.url : undefined;
  const url = sourceUrlFor(chunk.text, sources) ?? fallback;
  return { n, id: chunk.docId, lang: chunk.lang, kind: chunk.kind, title: chunk.title, section: chunk.section, ...(url ? { url } : {}) };
}

/**
 * The link of the first source whose name the passage mentions ("Centraider recommends…", "(F3E)").
 * A sheet lists many sources; the first one is rarely the one a given section relies on.
 */
function sourceUrlFor(text: string, sources: Source[]): string | undefined {
  const passage = new Set(words(text));
  for (const source of sources) {
    const url = source.url ?? source.via;
    if (url && namesOf(source.publisher ?? "").some((name) => passage.has(name))) return url;
  }
  return undefined;
}

/** How a passage may name a publisher: its acronym ("… (ADF)") and the first word that tells it apart. */
function namesOf(publisher: string): string[] {
  const acronym = /\(([A-Z][A-Z0-9]{1,9})\)/.exec(publisher)?.[1];
  const first = words(publisher).find((w) => w.length >= 3 && !GENERIC.has(w));
  return [acronym?.toLowerCase(), first].filter((n): n is string => !!n);
}

/** Words of publisher names that do not tell one publisher from another. */
const GENERIC = new Set([
  "des",
  "les",
  "and",
  "the",
  "for",
  "ministere",
  "ministry",
  "affaires",
  "etrangeres",
  "europe",
  "foreign",
  "affairs",
  "french",
  "france",
  "francaise",
  "ville",
  "departement",
  "conseil",
  "site",
  "website",
  "association",
]);
