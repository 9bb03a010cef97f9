/** Extractive answers: the passages that answer, their structure kept, a lead, citations and suggestions. */
import type { Lang } from "../knowledge/vocabulary.js";
import type { Chunk } from "../retrieval/chunk.js";
import type { Hit, KnowledgeIndex, SearchResult } from "../retrieval/knowledge-index.js";
import { contentStems, fold } from "../shared/text.js";
import { blocksLength, toBlocks } from "./blocks.js";
import { citationOf } from "./citation.js";
import { focus } from "../retrieval/focus.js";
import { SECTION_HINTS, detectIntent, type Intent } from "./intent.js";
import { plain, type Block, type Citation, type Reply, type SourceRef, type Suggestion } from "./reply.js";
import { leadFor, phrase } from "./texts.js";

/** Characters of body an answer aims to stay within, well inside one chat message. */
export const BODY_BUDGET = 2400;

export type Draft = Omit<Reply, "answerId">;

/** Below this coverage a refused question shares too little with the kit for "nearest sheets" to mean anything. */
const NEAR_MISS_COVERAGE = 0.3;
/** Sheets a refusal suggests, at most. */
const MAX_NEAREST = 3;

/** Composes an answer from a search result; a search judged unanswered becomes a refusal. */
export function composeExtractive(index: KnowledgeIndex, search: SearchResult): Draft {
  if (!search.answered || !search.hits.length) return composeRefusal(index, search);
  // The asking clause decides the kind of answer: "qui" in "un Département qui coopère…" asks nothing.
  const intent = detectIntent(focus(search.query).question);
  const passages = choosePassages(index, search, intent);
  const lang = search.lang;
  const primary = passages[0]!;

  const citations: Citation[] = [];
  const body: Block[] = [];
  let budget = BODY_BUDGET;
  let truncated = false;
  for (const [i, passage] of passages.entries()) {
    // The next passage of the same section (a long list cut in two) continues it: same citation, no second heading.
    const previous = passages[i - 1];
    const continued = !!previous && previous.docId === passage.docId && previous.lang === passage.lang && previous.section === passage.section && previous.position + 1 === passage.position;
    // Another passage of a section already cited shares its citation.
    const sameSection = citations.find((c) => c.id === passage.docId && c.lang === passage.lang && c.section === passage.section);
    if (!continued && !sameSection) citations.push(citationOf(index, passage, citations.length + 1));
    const n = sameSection?.n ?? citations.length;
    const blocks = toBlocks(passage.text, [n]);
    if (passages.length > 1 && !continued && !sameSection) {
      // A passage from another document than the lead's is headed with that document's title.
      const heading = passage.docId === primary.docId ? passage.section : [passage.title, passage.section].filter(Boolean).join(" — ");
      if (heading) body.push({ type: "heading", spans: plain(heading), cites: [n] });
    }
    for (const [j, block] of blocks.entries()) {
      const size = blocksLength([block]);
      const kept = size > budget ? trimBlock(block, budget) : block;
      if (kept) {
        const last = body.at(-1);
        // A numbered list that goes on in the next passage keeps its numbering (4., 5.…) instead of restarting at 1.
        if (continued && j === 0 && kept.type === "steps" && last?.type === "steps") body[body.length - 1] = { ...last, items: [...last.items, ...kept.items] };
        else body.push(kept);
      }
      if (size > budget) {
        truncated = true;
        break;
      }
      budget -= size;
    }
    if (truncated) break;
  }

  const notes: string[] = [];
  if (search.partial) notes.push(phrase("partial", lang));
  if (passages.some((p) => p.lang !== lang)) notes.push(phrase("otherLanguage", lang));
  if (passages.some(isGeneralPractice)) notes.push(phrase("practiceNote", lang));
  if (truncated) notes.push(phrase("continued", lang));

  return {
    question: search.query,
    lang,
    answered: true,
    mode: "extractive",
    lead: plain(leadFor(intent, lang, primary.title, primary.kind)),
    body,
    citations,
    sources: rankedSources(search),
    suggestions: suggestionsFor(index, search, passages),
    notes,
  };
}

/** The refusal, in two or three lines: says so plainly, then the nearest sheets (at most three), or none when nothing is near. */
export function composeRefusal(index: KnowledgeIndex, search: Pick<SearchResult, "query" | "lang" | "hits" | "coverage">): Draft {
  const lang = search.lang;
  // Nearest sheets only when the question is at least partly about the kit's field ("tarte tatin" has no nearest sheet).
  const related = search.coverage >= NEAR_MISS_COVERAGE ? search.hits : [];
  const nearest = unique(related.map((h) => h.chunk).filter((c) => c.kind === "kit").map((c) => c.docId)).slice(0, MAX_NEAREST);
  return {
    question: search.query,
    lang,
    answered: false,
    mode: "refusal",
    lead: plain(phrase("refusalLead", lang)),
    body: [{ type: "paragraph", spans: plain(phrase(nearest.length ? "refusalNear" : "refusalNothingNear", lang)), cites: [] }],
    citations: [],
    sources: [],
    suggestions: nearest.map((id) => ({ type: "sheet", id, label: titleOf(index, id, lang) })),
    notes: [],
  };
}

/** The best passage for the intent, then a second one from the same sheet or a close other source. */
function choosePassages(index: KnowledgeIndex, search: SearchResult, intent: Intent): Chunk[] {
  const top = search.hits[0]!;
  const docId = top.chunk.docId;
  const hitScore = new Map(search.hits.map((h) => [h.chunk.chunkId, h.score]));
  const queryStems = new Set(search.analysis.stems);
  const candidates = index.passages(docId, top.chunk.lang).filter((c) => c.text.trim().length > 40);
  const score = (c: Chunk) => {
    const section = fold(c.section);
    const heading = contentStems(c.section, c.lang).filter((s) => queryStems.has(s)).length;
    const structure = intent === "how" && /^\s*\d+[.)]\s/m.test(c.text) ? 0.15 : 0;
    const preamble = c.position === 0 && intent !== "what" ? -0.3 : 0;
    const inText = intent !== "general" && SECTION_HINTS[intent].test(fold(c.text)) ? 0.15 : 0;
    return (hitScore.get(c.chunkId) ?? 0) + (SECTION_HINTS[intent].test(section) ? 0.35 : 0) + inText + 0.15 * Math.min(heading, 2) + structure + preamble;
  };
  const ranked = candidates.map((c) => ({ c, s: score(c) })).sort((a, b) => b.s - a.s);
  const first = ranked[0]?.c ?? top.chunk;
  const chosen = [first];
  const second = ranked[1];
  if (second && second.s >= 0.75 * ranked[0]!.s && first.text.length + second.c.text.length <= BODY_BUDGET) chosen.push(second.c);
  else {
    const other = search.hits.find((h) => h.chunk.docId !== docId && h.score >= 0.9 * top.score);
    if (other && first.text.length + other.chunk.text.length <= BODY_BUDGET) chosen.push(other.chunk);
  }
  return chosen.sort((a, b) => (a.docId === b.docId ? a.position - b.position : 0));
}

/** Documents retrieved, one entry per document, best first. */
export function rankedSources(search: SearchResult, limit = 5): SourceRef[] {
  const seen = new Set<string>();
  const out: SourceRef[] = [];
  for (const { chunk, score } of search.hits) {
    if (seen.has(chunk.docId)) continue;
    seen.add(chunk.docId);
    out.push({ id: chunk.docId, lang: chunk.lang, title: chunk.title, kind: chunk.kind, section: chunk.section, score: Math.round(score * 1000) / 1000 });
  }
  return out.slice(0, limit);
}

function isGeneralPractice(chunk: Chunk): boolean {
  if (chunk.kind !== "kit" || !chunk.basis.includes("practice")) return false;
  return !/terrinclus/i.test(chunk.section);
}

/** Related sheets and cases of the main source, close cases among the hits, and the sheet's other sections as follow-ups. */
function suggestionsFor(index: KnowledgeIndex, search: SearchResult, passages: Chunk[]): Suggestion[] {
  const lang = search.lang;
  const primary = passages[0]!;
  const shown = new Set(passages.map((p) => p.docId));
  const related = primary.related.filter((id) => !shown.has(id) && index.languagesOf(id).length);
  const kindOf = (id: string) => index.document(id, index.languagesOf(id)[0]!)?.kind;
  const sheets: Suggestion[] = related.filter((id) => kindOf(id) === "kit").slice(0, 3).map((id) => ({ type: "sheet", id, label: titleOf(index, id, lang) }));
  const caseIds = unique([...related.filter((id) => kindOf(id) === "case"), ...closeCases(search.hits, shown)]).slice(0, 2);
  const cases: Suggestion[] = caseIds.map((id) => ({ type: "case", id, label: titleOf(index, id, lang) }));
  const shownSections = new Set(passages.map((p) => p.section));
  const followUps: Suggestion[] = unique(index.passages(primary.docId, primary.lang).map((c) => c.section.split(" › ")[0]!))
    .filter((s) => s && !shownSections.has(s) && !/^(en bref|in short)$/i.test(s))
    .slice(0, 3)
    .map((section) => ({ type: "question", label: `${section} — ${primary.title}` }));
  return [...sheets, ...cases, ...followUps];
}

function closeCases(hits: Hit[], shown: Set<string>): string[] {
  return hits.filter((h) => h.chunk.kind === "case" && !shown.has(h.chunk.docId) && h.score >= 0.5).map((h) => h.chunk.docId);
}

function titleOf(index: KnowledgeIndex, id: string, lang: Lang): string {
  const langs = index.languagesOf(id);
  const chosen = langs.includes(lang) ? lang : langs[0];
  return (chosen && index.document(id, chosen)?.title) || id;
}

/** Cuts a block to a budget at an item or sentence boundary; undefined when nothing useful fits. */
function trimBlock(block: Block, budget: number): Block | undefined {
  if ("items" in block) {
    const items: typeof block.items = [];
    let used = 0;
    for (const item of block.items) {
      const size = item.reduce((n, s) => n + s.text.length, 0) + 4;
      if (used + size > budget) break;
      items.push(item);
      used += size;
    }
    return items.length ? { ...block, items } : undefined;
  }
  return budget > 200 ? { ...block, spans: [{ text: block.spans.map((s) => s.text).join("").slice(0, budget - 1).replace(/\s+\S*$/, "") + "…" }] } : undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
