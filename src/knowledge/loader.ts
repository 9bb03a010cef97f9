/** Reads the knowledge directory: Markdown and text with YAML front matter, and PDFs. */
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import YAML from "yaml";
import { detectLanguage } from "../shared/language.js";
import { slugify } from "../shared/text.js";
import { firstLine, schemaError, type DocumentError, type KnowledgeDocument, type SourceFormat } from "./document.js";
import { readPdf, type PdfContent } from "./pdf.js";
import { FrontMatterSchema, type FrontMatter } from "./schema.js";

const FORMATS: Record<string, SourceFormat> = { ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".pdf": "pdf" };
/** Files in the knowledge tree that are not knowledge: editor notes and the glossary. */
const IGNORED = new Set(["readme.md", "glossary.yaml"]);

export interface LoadResult {
  documents: KnowledgeDocument[];
  errors: DocumentError[];
}

/** Every file the loader would read, relative to `dir`, sorted. */
export async function listKnowledgeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "ENOENT" || error.code === "ENOTDIR" ? new Error(`knowledge directory not found: ${dir} (set KNOWLEDGE_DIR or --dir)`) : error;
  });
  return entries
    .filter((e) => e.isFile() && FORMATS[path.extname(e.name).toLowerCase()] && !IGNORED.has(e.name.toLowerCase()))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Loads every document; a bad file becomes an error entry, never an exception. */
export async function loadKnowledge(dir: string): Promise<LoadResult> {
  const documents: KnowledgeDocument[] = [];
  const errors: DocumentError[] = [];
  for (const rel of await listKnowledgeFiles(dir)) {
    try {
      const loaded = await loadFile(dir, rel);
      if ("message" in loaded) errors.push(loaded);
      else documents.push(loaded);
    } catch (error) {
      errors.push({ path: rel, message: `cannot read: ${(error as Error).message}` });
    }
  }
  return { documents, errors };
}

/** One file as a document with its content hash, or the error of its front matter; text and PDFs without one get metadata derived from the file. */
export async function loadFile(dir: string, rel: string): Promise<KnowledgeDocument | DocumentError> {
  const bytes = await readFile(path.join(dir, rel));
  const hash = createHash("sha256").update(bytes).digest("hex");
  const format = FORMATS[path.extname(rel).toLowerCase()] ?? "text";
  if (format === "pdf") return loadPdf(rel, bytes, hash);

  const raw = bytes.toString("utf8");
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(raw, { engines: { yaml: (s) => YAML.parse(s, { prettyErrors: true }) as object } });
  } catch (error) {
    return { path: rel, field: "front matter", message: `invalid YAML: ${firstLine((error as Error).message)}` };
  }
  const hasFrontMatter = raw.trimStart().startsWith("---");
  if (!hasFrontMatter) {
    if (format === "markdown") return { path: rel, field: "front matter", message: "missing YAML front matter (id, lang, title, kind, summary, sources, basis)" };
    return { path: rel, hash, format, meta: derivedMeta(rel, parsed.content), body: parsed.content };
  }
  const result = FrontMatterSchema.safeParse(parsed.data);
  if (!result.success) return schemaError(rel, result.error, "(front matter)");
  return { path: rel, hash, format, meta: result.data, body: parsed.content.trim() };
}

async function loadPdf(rel: string, bytes: Buffer, hash: string): Promise<KnowledgeDocument | DocumentError> {
  let pdf: PdfContent;
  try {
    pdf = await readPdf(bytes);
  } catch (error) {
    return { path: rel, message: `unreadable PDF: ${firstLine((error as Error).message)}` };
  }
  const text = pdf.pages.join("\n\n");
  if (!text.trim()) return { path: rel, message: "the PDF has no extractable text (scanned pages need OCR first)" };
  const meta = derivedMeta(rel, text, { title: pdf.title, language: pdf.language, subject: pdf.subject, author: pdf.author });
  const body = pdf.pages
    .map((page, i) => (page.trim() ? `## p. ${i + 1}\n\n${page}` : ""))
    .filter(Boolean)
    .join("\n\n");
  return { path: rel, hash, format: "pdf", meta, body };
}

interface FileProperties {
  title?: string;
  language?: string;
  subject?: string;
  author?: string;
}

/** Metadata for a file without front matter: from its name (`guide.fr.pdf`), its properties and its text. */
function derivedMeta(rel: string, text: string, props: FileProperties = {}): FrontMatter {
  const base = path.basename(rel).replace(/\.[^.]+$/, "");
  const suffix = /\.(fr|en)$/i.exec(base)?.[1]?.toLowerCase();
  const stem = suffix ? base.slice(0, -3) : base;
  const declared = props.language?.slice(0, 2).toLowerCase();
  const lang = (suffix ?? (declared === "fr" || declared === "en" ? declared : detectLanguage(text.slice(0, 4000)))) as "fr" | "en";
  const title = props.title ?? stem.replace(/[-_]+/g, " ").replace(/^\p{Ll}/u, (c) => c.toUpperCase());
  const aboutTerrinclus = /terrinclus/i.test(`${stem} ${title}`);
  return {
    id: slugify(stem),
    lang,
    kind: "document",
    title,
    summary: props.subject ?? "",
    basis: [aboutTerrinclus ? "terrinclus" : "practice"],
    sources: [{ title, ...(props.author ? { publisher: props.author } : {}), note: `file ${rel} in the knowledge directory` }],
    related: [],
    keywords: [],
    questions: [],
    editorNotes: [],
  };
}
