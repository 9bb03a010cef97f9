/** Ranks case studies against a project description, by content and by shared facets, and says why. */
import type { Lang } from "../knowledge/vocabulary.js";
import { PUBLICS, THEMES, countryName, type Public, type Theme } from "../knowledge/vocabulary.js";
import type { ChunkMeta } from "./chunk.js";
import { detectFacets, type Facets } from "./facets.js";
import { matchesFilter, type SearchFilter } from "./filters.js";
import type { KnowledgeIndex } from "./knowledge-index.js";

export interface SimilarOptions {
  lang?: Lang;
  /** Hard filters (ISO code, theme id). */
  country?: string;
  theme?: string;
  limit?: number;
}

export interface SimilarProject {
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

export async function findSimilarProjects(index: KnowledgeIndex, query: string, options: SimilarOptions = {}): Promise<SimilarResult> {
  const filter: SearchFilter = { kind: "case", ...(options.country ? { country: options.country } : {}), ...(options.theme ? { theme: options.theme } : {}) };
  const search = await index.search(query, { lang: options.lang, limit: 40, filter });
  const lang = search.lang;
  const facets = detectFacets(query, lang);

  const content = new Map<string, number>();
  for (const hit of search.hits) content.set(hit.chunk.docId, Math.max(content.get(hit.chunk.docId) ?? 0, hit.score));
  const top = Math.max(0, ...content.values());

  const cases = index.documents().filter((d) => matchesFilter(d, filter));
  const byId = new Map<string, ChunkMeta>();
  for (const meta of cases) if (!byId.has(meta.docId) || meta.lang === lang) byId.set(meta.docId, meta);

  const results = [...byId.values()].map((meta) => rank(meta, facets, top ? (content.get(meta.docId) ?? 0) / top : 0, lang));
  results.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { query, lang, facets, results: results.filter((r) => r.score > 0).slice(0, options.limit ?? 5) };
}

function rank(meta: ChunkMeta, facets: Facets, content: number, lang: Lang): SimilarProject {
  const country = meta.country ?? [];
  const themes = meta.themes ?? [];
  const publics = meta.publics ?? [];
  const sameCountry = country.filter((c) => facets.countries.includes(c));
  const sharedThemes = themes.filter((t) => facets.themes.includes(t as Theme)) as Theme[];
  const sharedPublics = publics.filter((p) => facets.publics.includes(p as Public)) as Public[];
  const share = (shared: number, asked: number) => (asked ? shared / asked : 0);
  const score =
    WEIGHTS.content * content +
    WEIGHTS.country * (sameCountry.length ? 1 : 0) +
    WEIGHTS.themes * share(sharedThemes.length, facets.themes.length) +
    WEIGHTS.publics * share(sharedPublics.length, facets.publics.length);

  const reasons: string[] = [];
  const fr = lang === "fr";
  if (sameCountry.length) reasons.push(`${fr ? "même pays" : "same country"}: ${sameCountry.map((c) => countryName(c, lang)).join(", ")}`);
  if (sharedThemes.length) reasons.push(`${fr ? "thèmes communs" : "shared themes"}: ${sharedThemes.map((t) => THEMES[t][lang]).join(", ")}`);
  if (sharedPublics.length) reasons.push(`${fr ? "même public" : "same public"}: ${sharedPublics.map((p) => PUBLICS[p][lang]).join(", ")}`);
  if (content >= 0.5) reasons.push(fr ? "description proche du projet" : "close description of the project");
  else if (content > 0) reasons.push(fr ? "quelques points communs dans la description" : "some common points in the description");
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
