/** zod schemas for the knowledge base: front matter of sheets and cases, and the glossary. */
import { z } from "zod";
import { LangSchema } from "../shared/lang.js";
import { CASE_STATUSES, PUBLIC_IDS, THEME_IDS, isCountryCode } from "./vocabulary.js";

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase kebab-case (a-z, 0-9, -)");

const SourceSchema = z
  .object({
    title: z.string().min(3),
    publisher: z.string().optional(),
    year: z.number().int().min(1900).max(2100).optional(),
    url: z.url().optional(),
    via: z.url().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((s) => s.url || s.via || s.note, { message: "a source needs a url, a via (mirror) or a note" });
export type Source = z.infer<typeof SourceSchema>;

/**
 * A question the document answers, in everyday words, in the document's language; `section` names the
 * `##` heading (or `## › ###` path) that answers it, absent when the whole document does.
 */
const AnsweredQuestionSchema = z.object({ q: z.string().min(5).max(200), section: z.string().min(1).optional() }).strict();

const common = {
  id: slug,
  lang: LangSchema,
  title: z.string().min(5),
  summary: z.string().min(20),
  basis: z.array(z.enum(["terrinclus", "practice"])).min(1),
  sources: z.array(SourceSchema).min(1),
  related: z.array(slug).default([]),
  keywords: z.array(z.string().min(2)).default([]),
  questions: z.array(AnsweredQuestionSchema).default([]),
  /** Notes for the kit's editors (what could not be verified, what to check): kept in the file, never indexed or shown. */
  editorNotes: z.array(z.string().min(3)).default([]),
};

const KitFrontMatterSchema = z.object({ ...common, kind: z.literal("kit") }).strict();

const CaseFrontMatterSchema = z
  .object({
    ...common,
    kind: z.literal("case"),
    country: z.array(z.string().refine(isCountryCode, { message: "must be an ISO 3166-1 alpha-2 country code" })).min(1),
    partner: z.string().min(3),
    lead: z.string().min(3),
    themes: z.array(z.enum(THEME_IDS)).min(1),
    publics: z.array(z.enum(PUBLIC_IDS)).default([]),
    years: z
      .object({ from: z.number().int().min(1950).max(2100), to: z.number().int().min(1950).max(2100).optional() })
      .strict()
      .refine((y) => y.to === undefined || y.to >= y.from, { message: "years.to must not be before years.from" })
      .optional(),
    status: z.enum(CASE_STATUSES),
  })
  .strict();

/** Any other document an editor drops in (a report, the guide itself) with front matter. */
const DocumentFrontMatterSchema = z.object({ ...common, kind: z.literal("document"), summary: z.string().default(""), basis: common.basis.default(["terrinclus"]) }).strict();

export const FrontMatterSchema = z.discriminatedUnion("kind", [KitFrontMatterSchema, CaseFrontMatterSchema, DocumentFrontMatterSchema]);
export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type DocumentKind = FrontMatter["kind"];

const GlossaryTermSchema = z
  .object({
    concept: slug,
    fr: z.array(z.string().min(2)).min(1),
    en: z.array(z.string().min(2)).min(1),
    sheet: slug.optional(),
    note: z.string().optional(),
  })
  .strict();

export const GlossarySchema = z
  .object({
    id: slug,
    kind: z.literal("glossary"),
    title: z.string(),
    summary: z.string().optional(),
    basis: common.basis,
    sources: common.sources,
    terms: z.array(GlossaryTermSchema).min(1),
  })
  .strict();
export type Glossary = z.infer<typeof GlossarySchema>;
