/** Search filters on passage metadata. */
import type { DocumentKind } from "../knowledge/schema.js";
import type { Lang } from "../shared/lang.js";
import type { ChunkMeta } from "./chunk.js";

export interface SearchFilter {
  kind?: DocumentKind | DocumentKind[];
  lang?: Lang;
  /** ISO 3166-1 alpha-2 code. */
  country?: string;
  theme?: string;
  public?: string;
}

/** Whether a passage meets every condition the filter sets (a list of kinds: any of them). */
export function matchesFilter(meta: ChunkMeta, filter: SearchFilter): boolean {
  if (filter.kind && ![filter.kind].flat().includes(meta.kind)) return false;
  if (filter.lang && meta.lang !== filter.lang) return false;
  if (filter.country && !meta.country?.includes(filter.country.toUpperCase())) return false;
  if (filter.theme && !meta.themes?.includes(filter.theme)) return false;
  if (filter.public && !meta.publics?.includes(filter.public)) return false;
  return true;
}
