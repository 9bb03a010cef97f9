/**
 * The passages of an index on disk: each document's metadata once, then each passage as (document, section,
 * text). Read back, the passages of one document share its metadata instead of each carrying a copy.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { LangSchema } from "../shared/lang.js";
import type { Chunk } from "./chunk.js";

const PASSAGES_FILE = "passages.json";

const StoredSourceSchema = z.object({
  title: z.string(),
  publisher: z.string().optional(),
  year: z.number().optional(),
  url: z.string().optional(),
  via: z.string().optional(),
  note: z.string().optional(),
});

const StoredDocumentSchema = z.object({
  docId: z.string(),
  lang: LangSchema,
  kind: z.enum(["kit", "case", "document"]),
  title: z.string(),
  path: z.string(),
  url: z.string().optional(),
  related: z.array(z.string()),
  keywords: z.array(z.string()),
  basis: z.array(z.enum(["terrinclus", "practice"])),
  country: z.array(z.string()).optional(),
  themes: z.array(z.string()).optional(),
  publics: z.array(z.string()).optional(),
  /** Carried by the document's first passage only, as the chunker does. */
  sources: z.array(StoredSourceSchema).optional(),
  summary: z.string().optional(),
});
type StoredDocument = z.infer<typeof StoredDocumentSchema>;

const PassagesFileSchema = z.object({
  documents: z.array(StoredDocumentSchema),
  /** [document index, section, text], in reading order within each document. */
  passages: z.array(z.tuple([z.number().int().nonnegative(), z.string(), z.string()])),
});

/** Writes the passages (in the order their vectors are stored) into an index directory. */
export async function writePassages(dir: string, chunks: readonly Chunk[]): Promise<void> {
  const documents: StoredDocument[] = [];
  const documentIndex = new Map<string, number>();
  const passages: Array<[number, string, string]> = [];
  for (const chunk of chunks) {
    const key = `${chunk.docId}.${chunk.lang}`;
    let index = documentIndex.get(key);
    if (index === undefined) {
      index = documents.length;
      documentIndex.set(key, index);
      const { chunkId: _id, section: _section, position: _position, text: _text, ...meta } = chunk;
      documents.push(meta);
    }
    if (chunk.position === 0) {
      if (chunk.sources) documents[index]!.sources = chunk.sources;
      if (chunk.summary) documents[index]!.summary = chunk.summary;
    }
    passages.push([index, chunk.section, chunk.text]);
  }
  await writeFile(path.join(dir, PASSAGES_FILE), JSON.stringify({ documents, passages }));
}

/** The passages of an index directory, in the order they were written. */
export async function readPassages(dir: string): Promise<Chunk[]> {
  const { documents, passages } = PassagesFileSchema.parse(JSON.parse(await readFile(path.join(dir, PASSAGES_FILE), "utf8")));
  const next = new Array<number>(documents.length).fill(0);
  return passages.map(([index, section, text]) => {
    const doc = documents[index];
    if (!doc) throw new Error(`${PASSAGES_FILE}: a passage names document ${index}, of ${documents.length}`);
    const position = next[index]!++;
    return passage(doc, position, section, text);
  });
}

/** A passage with its document's metadata, fields in the chunker's order; sources and summary on the first passage only. */
function passage(doc: StoredDocument, position: number, section: string, text: string): Chunk {
  return {
    chunkId: `${doc.docId}.${doc.lang}#${position}`,
    docId: doc.docId,
    lang: doc.lang,
    kind: doc.kind,
    title: doc.title,
    section,
    position,
    path: doc.path,
    ...(doc.url !== undefined ? { url: doc.url } : {}),
    related: doc.related,
    keywords: doc.keywords,
    ...(position === 0 && doc.sources ? { sources: doc.sources } : {}),
    ...(position === 0 && doc.summary ? { summary: doc.summary } : {}),
    basis: doc.basis,
    ...(doc.country !== undefined ? { country: doc.country } : {}),
    ...(doc.themes !== undefined ? { themes: doc.themes } : {}),
    ...(doc.publics !== undefined ? { publics: doc.publics } : {}),
    text,
  };
}
