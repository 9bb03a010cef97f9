/** Ranks case studies against a project description, by content and by shared facets, and says why. */
import type { Lang } from "../shared/lang.js";
import { PUBLICS, THEMES, countryName, type Public, type Theme } from "../knowledge/vocabulary.js";
import type { ChunkMeta } from "./chunk.js";
import { detectFacets, type Facets } from "./facets.js";
import { matchesFilter, type SearchFilter } from "./filters.js";
import type { KnowledgeIndex } from "./knowledge-index.js";
import { contentStems, contentWords, fold } from "../shared/text.js";

export interface SimilarOptions {
  lang?: Lang;
  /** Hard filters (ISO code, theme id). */
  country?: string;
  theme?: string;
  limit?: number;
}

interface SimilarProject {
  id: string;
  lang: Lang;
  title: string;
  country: string[];
  themes: string[];
  publics: string[];
  score: number;
  why: string;
  /** Parts of `why`, for channels that render them separately. */
  reasons: string[];
}

export interface SimilarResult {
  query: string;
  lang: Lang;
  facets: Facets;
  results: SimilarProject[];
}

const WEIGHTS = { content: 0.55, country: 0.2, themes: 0.2, publics: 0.05 };
/** Below this score a case is not close enough to show: better none than a list filled with weak matches. */
const MIN_SIMILAR_SCORE = 0.3;
/** A description the kit does not answer still ranks cases by content when it shares this much with one. */
const RELATED_COVERAGE = 0.3;

/** The case studies scoring at least MIN_SIMILAR_SCORE on content and shared facets, best first (five unless `limit`), each with why. */
export async function findSimilarProjects(index: KnowledgeIndex, query: string, options: SimilarOptions = {}): Promise<SimilarResult> {
  const filter: SearchFilter = { kind: "case", ...(options.country ? { country: options.country } : {}), ...(options.theme ? { theme: options.theme } : {}) };
  const search = await index.search(query, { lang: options.lang, limit: 40, filter });
  const lang = search.lang;
  const facets = detectFacets(query, lang);

  // Content counts on the fused score's own scale, and only for a description the kit's field covers ("tarte tatin" matches nothing).
  const content = new Map<string, number>();
  if (search.answered || search.coverage >= RELATED_COVERAGE) for (const hit of search.hits) content.set(hit.chunk.docId, Math.max(content.get(hit.chunk.docId) ?? 0, hit.score));

  const cases = index.documents().filter((d) => matchesFilter(d, filter));
  const byId = new Map<string, ChunkMeta>();
  for (const meta of cases) if (!byId.has(meta.docId) || meta.lang === lang) byId.set(meta.docId, meta);

  const asked = askedWords(query, lang);
  const results = [...byId.values()].map((meta) => {
    const score = content.get(meta.docId) ?? 0;
    return rank(meta, facets, score, score > 0 ? sharedWords(index, meta, asked) : [], lang);
  });
  results.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { query, lang, facets, results: results.filter((r) => r.score >= MIN_SIMILAR_SCORE).slice(0, options.limit ?? 5) };
}

/** The description's content words with their stems, question words and generic project words left out. */
function askedWords(query: string, lang: Lang): Array<{ word: string; stem: string }> {
  // Shown as the user wrote them ("santé", not "sante").
  const written = new Map((query.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => [fold(w), w.toLowerCase()]));
  const words = contentWords(query).filter((w) => w.length > 3 && !GENERIC_WORDS.has(w));
  const stems = contentStems(words.join(" "), lang);
  return words.map((word, i) => ({ word: written.get(word) ?? word, stem: stems[i]! })).filter((w, i, all) => all.findIndex((x) => x.stem === w.stem) === i);
}

/** Words a description and a case's text have in common (by stem), in the description's order. */
function sharedWords(index: KnowledgeIndex, meta: ChunkMeta, asked: Array<{ word: string; stem: string }>): string[] {
  const stems = caseStems(index, meta);
  return asked
    .filter((w) => stems.has(w.stem))
    .map((w) => w.word)
    .slice(0, MAX_SHARED_WORDS);
}

const MAX_SHARED_WORDS = 4;

/** Each case's stems, computed once per loaded index (not on every search). */
const stemsByIndex = new WeakMap<KnowledgeIndex, Map<string, Set<string>>>();

function caseStems(index: KnowledgeIndex, meta: ChunkMeta): Set<string> {
  let byCase = stemsByIndex.get(index);
  if (!byCase) {
    byCase = new Map();
    stemsByIndex.set(index, byCase);
  }
  const key = `${meta.docId}.${meta.lang}`;
  let stems = byCase.get(key);
  if (!stems) {
    const text = [meta.title, meta.keywords.join(" "), ...index.passages(meta.docId, meta.lang).map((p) => p.text)].join("\n");
    stems = new Set(contentStems(text, meta.lang));
    byCase.set(key, stems);
  }
  return stems;
}
/** Words any project description uses: saying they match says nothing. */
const GENERIC_WORDS = new Set([
  "cooperer",
  "cooperate",
  "cooperation",
  "cooperations",
  "projet",
  "projets",
  "project",
  "projects",
  "partenariat",
  "partnership",
  "departement",
  "departements",
  "departmental",
  "departementale",
  "departementales",
  "nous",
  "voulons",
  "voudrait",
  "want",
  "with",
  "avec",
  "pour",
  "dans",
  "work",
  "working",
]);

function rank(meta: ChunkMeta, facets: Facets, content: number, shared: string[], lang: Lang): SimilarProject {
  const country = meta.country ?? [];
  const themes = meta.themes ?? [];
  const publics = meta.publics ?? [];
  const sameCountry = country.filter((c) => facets.countries.includes(c));
  const sharedThemes = themes.filter((t) => facets.themes.includes(t as Theme)) as Theme[];
  const sharedPublics = publics.filter((p) => facets.publics.includes(p as Public)) as Public[];
  const share = (shared: number, asked: number) => (asked ? shared / asked : 0);
  const score =
    WEIGHTS.content * content + WEIGHTS.country * (sameCountry.length ? 1 : 0) + WEIGHTS.themes * share(sharedThemes.length, facets.themes.length) + WEIGHTS.publics * share(sharedPublics.length, facets.publics.length);

  const reasons: string[] = [];
  const fr = lang === "fr";
  if (sameCountry.length) reasons.push(`${fr ? "même pays" : "same country"}: ${sameCountry.map((c) => countryName(c, lang)).join(", ")}`);
  if (sharedThemes.length) reasons.push(`${fr ? "thèmes communs" : "shared themes"}: ${sharedThemes.map((t) => THEMES[t][lang]).join(", ")}`);
  if (sharedPublics.length) reasons.push(`${fr ? "même public" : "same public"}: ${sharedPublics.map((p) => PUBLICS[p][lang]).join(", ")}`);
  // Words the country, theme and public reasons already name are not repeated.
  const named = fold(reasons.join(" "));
  const own = shared.filter((w) => !named.includes(fold(w)));
  if (own.length) reasons.push(`${fr ? "mots en commun" : "words in common"}: ${own.join(", ")}`);
  return {
    id: meta.docId,
    lang: meta.lang,
    title: meta.title,
    country,
    themes,
    publics,
    score: Math.round(score * 1000) / 1000,
    why: reasons.join("; "),
    reasons,
  };
}
