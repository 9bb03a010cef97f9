/** Extractive answers: the passages that answer, their structure kept, a lead, citations and suggestions. */
import type { Lang } from "../shared/lang.js";
import type { Chunk } from "../retrieval/chunk.js";
import type { Hit, KnowledgeIndex, SearchResult } from "../retrieval/knowledge-index.js";
import { contentStems, fold } from "../shared/text.js";
import { blocksLength, toBlocks } from "./blocks.js";
import { citationOf } from "./citation.js";
import { focus } from "../retrieval/focus.js";
import { SECTION_HINTS, detectIntent, type Intent } from "./intent.js";
import { directAnswer } from "./direct.js";
import { parseInline } from "./inline.js";
import { plain, type Action, type Block, type Citation, type Reply, type SourceRef, type Suggestion } from "./reply.js";
import { notStatedLead } from "./texts.js";
import { phrase } from "../shared/texts.js";
import { LIST_ITEM, markdownBlocks } from "../shared/markdown.js";

/** Characters of body a chat answer shows under its direct answer; the rest is one tap away ("more"). */
const BODY_BUDGET = 900;
/** Weight of "an answered question close to this one points here" in choosing the section to quote. */
const BANK_WEIGHT = 0.5;
/** Two passages are quoted together only when they make a readable whole (a list continued, a close source). */
const PASSAGES_BUDGET = 2400;

export type Draft = Omit<Reply, "answerId">;

/** Below this coverage a refused question shares too little with the kit for "nearest sheets" to mean anything. */
const NEAR_MISS_COVERAGE = 0.3;
/** Sheets a refusal suggests, at most. */
const MAX_NEAREST = 3;
/** Other sections of the main document offered one tap away. */
const MAX_SECTION_ACTIONS = 3;

/**
 * Composes an answer from a search result: the direct answer first (the sentence that answers the question as
 * asked, cited), then the supporting steps or list within a chat-sized budget; a search judged unanswered
 * becomes a refusal.
 */
export function composeExtractive(index: KnowledgeIndex, search: SearchResult): Draft {
  if (!search.answered || !search.hits.length) return composeRefusal(index, search);
  // The asking clause decides the kind of answer: "qui" in "un Département qui coopère…" asks nothing.
  const asked = focus(search.query).question;
  // A last clause that asks nothing specific ("is there a rule?") leaves the kind of answer to the whole message.
  const own = detectIntent(asked);
  const intent = own === "general" ? detectIntent(search.query) : own;
  const passages = choosePassages(index, search, intent);
  const lang = search.lang;
  const primary = passages[0]!;
  const direct = directAnswer(
    passages,
    intent,
    asked,
    lang,
    sectionPassages(index, primary.docId, primary.lang, primary.section)
      .map((p) => p.text)
      .join("\n"),
  );

  const citations: Citation[] = [];
  const cite = (passage: Chunk): number => {
    const same = citations.find((c) => c.id === passage.docId && c.lang === passage.lang && c.section === passage.section);
    if (same) return same.n;
    citations.push(citationOf(index, passage, citations.length + 1));
    return citations.length;
  };
  const leadCites = direct?.stated ? [cite(passages[direct.passage]!)] : [];
  const lead = direct?.stated ? parseInline(direct.text) : plain(notStatedLead(intent, lang, primary.title));

  const body: Block[] = [];
  let budget = BODY_BUDGET;
  let truncated = false;
  for (const [i, passage] of passages.entries()) {
    // The next passage of the same section (a long list cut in two) continues it: same citation, no second heading.
    const previous = passages[i - 1];
    const continued = !!previous && previous.docId === passage.docId && previous.lang === passage.lang && previous.section === passage.section && previous.position + 1 === passage.position;
    const known = citations.some((c) => c.id === passage.docId && c.lang === passage.lang && c.section === passage.section);
    const n = cite(passage);
    // The direct answer is not repeated underneath: its paragraph, or its sentence within one, is left out.
    const text = direct?.stated && direct.passage === i ? withoutSentence(passage.text, direct.text, direct.wholeBlock) : passage.text;
    const blocks = toBlocks(text, [n]);
    if (passages.length > 1 && !continued && !known && blocks.length) {
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
  // A heading left without anything under it (the budget ran out) goes too.
  if (body.at(-1)?.type === "heading") body.pop();

  const notes: string[] = [];
  if (search.partial) notes.push(phrase("partial", lang));
  if (passages.some((p) => p.lang !== lang)) notes.push(phrase("otherLanguage", lang));
  if (passages.some(isGeneralPractice)) notes.push(phrase("practiceNote", lang));

  const moreToRead = truncated || passages.some((p) => sectionPassages(index, p.docId, p.lang, p.section).length > passages.filter((q) => q.docId === p.docId && q.section === p.section).length);
  return {
    question: search.query,
    lang,
    answered: true,
    mode: "extractive",
    lead,
    leadCites,
    body,
    citations,
    sources: rankedSources(search),
    suggestions: suggestionsFor(index, search, passages),
    actions: answerActions(index, primary, passages, moreToRead),
    notes,
  };
}

/** The actions of an answer: the rest of the quoted sections, sources, the main document's other sections, similar projects, feedback. */
export function answerActions(index: KnowledgeIndex, primary: Pick<Chunk, "docId" | "lang">, shown: Array<Pick<Chunk, "section">>, more: boolean): Action[] {
  const quoted = new Set(shown.map((p) => topSection(p.section)));
  const sections: Action[] = documentSections(index, primary.docId, primary.lang)
    .map((label, i) => ({ type: "section" as const, index: i, label }))
    .filter((s) => !quoted.has(s.label) && !/^(en bref|in short)$/i.test(s.label))
    .slice(0, MAX_SECTION_ACTIONS);
  return [...(more ? [{ type: "more" as const }] : []), { type: "sources" }, ...sections, { type: "similar" }, ...FEEDBACK];
}

const FEEDBACK: Action[] = [
  { type: "feedback", useful: true },
  { type: "feedback", useful: false },
];

/** The top-level sections of a document, in reading order, without its list of related sheets. */
export function documentSections(index: KnowledgeIndex, docId: string, lang: Lang): string[] {
  return unique(index.passages(docId, lang).map((c) => topSection(c.section))).filter((s) => s && !/^(fiches li[ée]es|related sheets|voir aussi|see also)$/i.test(s));
}

/** Every passage of a section (its subsections included), in reading order. */
function sectionPassages(index: KnowledgeIndex, docId: string, lang: Lang, section: string): Chunk[] {
  return index.passages(docId, lang).filter((c) => c.section === section || c.section.startsWith(`${section} › `));
}

/**
 * One section of a document quoted whole, for "more" and the section buttons: its heading as the lead, its
 * passages as the body, one citation.
 */
export function composeSection(index: KnowledgeIndex, docId: string, docLang: Lang, section: string, lang: Lang): Draft | undefined {
  const passages = sectionPassages(index, docId, docLang, section);
  if (!passages.length) return undefined;
  const citation = citationOf(index, passages[0]!, 1);
  const body = passages.flatMap((p, i) => [...(i > 0 && p.section !== passages[i - 1]!.section ? [{ type: "heading" as const, spans: plain(p.section.split(" › ").at(-1)!), cites: [1] }] : []), ...toBlocks(p.text, [1])]);
  const notes = [...(docLang !== lang ? [phrase("otherLanguage", lang)] : []), ...(passages.some(isGeneralPractice) ? [phrase("practiceNote", lang)] : [])];
  return {
    question: section,
    lang,
    answered: true,
    mode: "extractive",
    lead: plain(`${passages[0]!.title} › ${section}`),
    leadCites: [],
    body,
    citations: [citation],
    sources: [],
    suggestions: [],
    actions: answerActions(index, passages[0]!, [{ section }], false).filter((a) => a.type !== "similar" && a.type !== "feedback"),
    notes,
  };
}

/** Several sections quoted whole, one after the other (the "more" of an answer citing two sections). */
export function composeSections(index: KnowledgeIndex, refs: Array<{ id: string; lang: Lang; section: string }>, lang: Lang): Draft | undefined {
  const drafts = refs.map((r) => composeSection(index, r.id, r.lang, r.section, lang)).filter((d): d is Draft => !!d);
  const [first, ...rest] = drafts;
  if (!first) return undefined;
  const body = [...first.body];
  const citations = [...first.citations];
  for (const draft of rest) {
    const n = citations.length + 1;
    citations.push({ ...draft.citations[0]!, n });
    body.push({ type: "heading", spans: draft.lead, cites: [n] }, ...draft.body.map((b) => ({ ...b, cites: [n] })));
  }
  return { ...first, body, citations, notes: unique(drafts.flatMap((d) => d.notes)) };
}

function topSection(section: string): string {
  return section.split(" › ")[0]!;
}

/** The passage's text without the direct answer: its whole paragraph, or the sentence within its paragraph. */
function withoutSentence(text: string, sentence: string, wholeBlock: boolean): string {
  const blocks = markdownBlocks(text);
  const flat = (b: string) =>
    b
      .split("\n")
      .map((l) => l.trim())
      .join(" ");
  const at = blocks.findIndex((b) => flat(b).includes(sentence.replace(/…$/, "")));
  if (at < 0 || LIST_ITEM.test(blocks[at]!.split("\n")[0]!)) return text;
  const rest = wholeBlock ? "" : flat(blocks[at]!).replace(sentence, "").trim();
  return [...blocks.slice(0, at), ...(rest ? [rest] : []), ...blocks.slice(at + 1)].join("\n\n");
}

/** The refusal, in two or three lines: says so plainly, then the nearest sheets (at most three), or none when nothing is near. */
export function composeRefusal(index: KnowledgeIndex, search: Pick<SearchResult, "query" | "lang" | "hits" | "coverage">): Draft {
  const lang = search.lang;
  // Nearest sheets only when the question is at least partly about the kit's field ("tarte tatin" has no nearest sheet).
  const related = search.coverage >= NEAR_MISS_COVERAGE ? search.hits : [];
  const nearest = unique(
    related
      .map((h) => h.chunk)
      .filter((c) => c.kind === "kit")
      .map((c) => c.docId),
  ).slice(0, MAX_NEAREST);
  return {
    question: search.query,
    lang,
    answered: false,
    mode: "refusal",
    lead: plain(phrase("refusalLead", lang)),
    leadCites: [],
    body: [{ type: "paragraph", spans: plain(phrase(nearest.length ? "refusalNear" : "refusalNothingNear", lang)), cites: [] }],
    citations: [],
    sources: [],
    suggestions: nearest.map((id) => ({ type: "sheet", id, label: titleOf(index, id, lang) })),
    actions: FEEDBACK,
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
    // A section that a close answered question says it answers.
    const answers = BANK_WEIGHT * Math.max(0, ...search.answeredBy.filter((a) => a.chunkId === c.chunkId).map((a) => a.coverage));
    return (hitScore.get(c.chunkId) ?? 0) + (SECTION_HINTS[intent].test(section) ? 0.35 : 0) + inText + 0.15 * Math.min(heading, 2) + structure + preamble + answers;
  };
  const ranked = candidates.map((c) => ({ c, s: score(c) })).sort((a, b) => b.s - a.s);
  const best = ranked[0]?.c ?? top.chunk;
  // A passage that continues a section (a long list cut in two) is read from the section's start.
  const section = sectionPassages(index, best.docId, best.lang, best.section).filter((c) => c.section === best.section);
  if (section[0] && section[0].position < best.position) return section.slice(0, 2);
  const first = best;
  const chosen = [first];
  const second = ranked[1];
  if (second && second.s >= 0.75 * ranked[0]!.s && first.text.length + second.c.text.length <= PASSAGES_BUDGET) chosen.push(second.c);
  else {
    const other = search.hits.find((h) => h.chunk.docId !== docId && h.score >= 0.9 * top.score);
    if (other && first.text.length + other.chunk.text.length <= PASSAGES_BUDGET) chosen.push(other.chunk);
  }
  // The best passage leads; only the two halves of one section are put back in reading order.
  return chosen.sort((a, b) => (a.docId === b.docId && a.section === b.section ? a.position - b.position : 0));
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
  const sheets: Suggestion[] = related
    .filter((id) => kindOf(id) === "kit")
    .slice(0, 3)
    .map((id) => ({ type: "sheet", id, label: titleOf(index, id, lang) }));
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
  return budget > 200
    ? {
        ...block,
        spans: [
          {
            text: `${block.spans
              .map((s) => s.text)
              .join("")
              .slice(0, budget - 1)
              .replace(/\s+\S*$/, "")}…`,
          },
        ],
      }
    : undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
