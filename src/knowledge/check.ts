/** Checks the knowledge base as an editor needs it: schema, translations, links, lengths, glossary. */
import { access } from "node:fs/promises";
import path from "node:path";
import { markdownSections } from "../shared/markdown.js";
import { wordCount, fold } from "../shared/text.js";
import type { KnowledgeDocument } from "./document.js";
import { GLOSSARY_FILE, isGlossary, loadGlossary } from "./glossary.js";
import { loadKnowledge } from "./loader.js";

export interface Problem {
  path: string;
  field?: string;
  message: string;
}

export interface CheckReport {
  /** Files checked: documents, unreadable files and the glossary. */
  files: number;
  documents: KnowledgeDocument[];
  problems: Problem[];
}

export const SHEET_WORDS = { min: 400, max: 1200 } as const;

/** Every problem of the knowledge base (unreadable files, names, translations, lengths, questions, text, links, glossary), sorted by file. */
export async function checkKnowledge(dir: string): Promise<CheckReport> {
  const { documents, errors } = await loadKnowledge(dir);
  const problems: Problem[] = errors.map((e) => ({ ...e }));
  problems.push(...checkNames(documents), ...checkTranslations(documents), ...checkLengths(documents), ...checkQuestions(documents), ...checkEditorialText(documents));
  problems.push(...(await checkLinks(dir, documents)));
  problems.push(...(await checkGlossary(dir, documents)));
  problems.sort((a, b) => a.path.localeCompare(b.path));
  // The glossary is a checked file too: "N problem(s) in M file(s) out of F" must count it.
  const glossaryFiles = await access(path.join(dir, GLOSSARY_FILE)).then(
    () => 1,
    () => 0,
  );
  return { files: documents.length + errors.length + glossaryFiles, documents, problems };
}

function checkNames(documents: KnowledgeDocument[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const doc of documents) {
    const key = `${doc.meta.id}/${doc.meta.lang}`;
    const previous = seen.get(key);
    if (previous) problems.push({ path: doc.path, field: "id", message: `id "${doc.meta.id}" in ${doc.meta.lang} is already used by ${previous}` });
    seen.set(key, doc.path);
    if (doc.format !== "markdown") continue;
    const expected = `${doc.meta.id}.${doc.meta.lang}.md`;
    if (path.posix.basename(doc.path) !== expected) {
      problems.push({ path: doc.path, field: "id", message: `file name should be ${expected} (id "${doc.meta.id}", lang "${doc.meta.lang}")` });
    }
  }
  return problems;
}

function checkTranslations(documents: KnowledgeDocument[]): Problem[] {
  const byId = new Map<string, KnowledgeDocument[]>();
  for (const doc of documents) {
    if (doc.meta.kind === "document") continue;
    byId.set(doc.meta.id, [...(byId.get(doc.meta.id) ?? []), doc]);
  }
  const problems: Problem[] = [];
  for (const [id, versions] of byId) {
    const langs = new Set(versions.map((d) => d.meta.lang));
    for (const lang of ["fr", "en"] as const) {
      if (!langs.has(lang)) problems.push({ path: versions[0]!.path, field: "lang", message: `missing translation: "${id}" has no ${lang} version` });
    }
    const kinds = new Set(versions.map((d) => d.meta.kind));
    if (kinds.size > 1) problems.push({ path: versions[0]!.path, field: "kind", message: `"${id}" has different kinds across languages` });
  }
  return problems;
}

function checkLengths(documents: KnowledgeDocument[]): Problem[] {
  return documents
    .filter((doc) => doc.meta.kind === "kit")
    .flatMap((doc) => {
      const count = wordCount(doc.body);
      if (count >= SHEET_WORDS.min && count <= SHEET_WORDS.max) return [];
      return [{ path: doc.path, field: "body", message: `sheet has ${count} words; expected ${SHEET_WORDS.min} to ${SHEET_WORDS.max}` }];
    });
}

/** Wordings of the editors' own process (what could not be read or verified), which users must never see. */
const EDITORIAL = /\b(could not be (consulted|verified|read|checked)|couldn't be verified|n'(a|ont) pas pu [eê]tre (consult|v[ée]rifi|lu)|about this sheet|nature de cette fiche|[àa] propos de cette fiche)/i;

/** Notes meant for editors belong in `editorNotes`, not in the text users are shown. */
function checkEditorialText(documents: KnowledgeDocument[]): Problem[] {
  const problems: Problem[] = [];
  for (const doc of documents) {
    const line = doc.body.split("\n").find((l) => EDITORIAL.test(l));
    if (line) problems.push({ path: doc.path, field: "body", message: `editorial note in the text ("${line.trim().slice(0, 80)}…"): move it to editorNotes` });
  }
  return problems;
}

/** Each answered question names a section the document has, and is not listed twice. */
function checkQuestions(documents: KnowledgeDocument[]): Problem[] {
  const problems: Problem[] = [];
  for (const doc of documents) {
    const paths = new Set(markdownSections(doc.body).map((s) => s.path.join(" › ")));
    const seen = new Set<string>();
    doc.meta.questions.forEach((question, i) => {
      const key = fold(question.q)
        .replace(/[^a-z0-9]+/g, " ")
        .trim();
      if (seen.has(key)) problems.push({ path: doc.path, field: `questions.${i}.q`, message: `"${question.q}" is listed twice` });
      seen.add(key);
      if (question.section !== undefined && !paths.has(question.section)) {
        problems.push({ path: doc.path, field: `questions.${i}.section`, message: `no section "${question.section}" in this document (sections: ${[...paths].filter(Boolean).join("; ")})` });
      }
    });
  }
  return problems;
}

const MARKDOWN_LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

async function checkLinks(dir: string, documents: KnowledgeDocument[]): Promise<Problem[]> {
  const ids = new Set(documents.map((d) => d.meta.id));
  const problems: Problem[] = [];
  for (const doc of documents) {
    for (const id of doc.meta.related) {
      if (!ids.has(id)) problems.push({ path: doc.path, field: "related", message: `related "${id}" is not the id of any document` });
    }
    for (const match of doc.body.matchAll(MARKDOWN_LINK)) {
      const target = match[1]!;
      if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
      const resolved = path.join(dir, path.posix.dirname(doc.path), target.split("#")[0]!);
      try {
        await access(resolved);
      } catch {
        problems.push({ path: doc.path, field: "body", message: `broken link to ${target}` });
      }
    }
  }
  return problems;
}

async function checkGlossary(dir: string, documents: KnowledgeDocument[]): Promise<Problem[]> {
  const glossary = await loadGlossary(dir);
  if (!isGlossary(glossary)) return [{ ...glossary }];
  const ids = new Set(documents.map((d) => d.meta.id));
  const problems: Problem[] = [];
  const concepts = new Set<string>();
  const owners = new Map<string, string>();
  for (const term of glossary.terms) {
    if (concepts.has(term.concept)) problems.push({ path: GLOSSARY_FILE, field: "terms", message: `concept "${term.concept}" appears twice` });
    concepts.add(term.concept);
    if (term.sheet && !ids.has(term.sheet)) problems.push({ path: GLOSSARY_FILE, field: `terms.${term.concept}.sheet`, message: `sheet "${term.sheet}" does not exist` });
    for (const wording of [...term.fr, ...term.en]) {
      const key = fold(wording).trim();
      const owner = owners.get(key);
      if (owner && owner !== term.concept) problems.push({ path: GLOSSARY_FILE, field: `terms.${term.concept}`, message: `"${wording}" is also a wording of "${owner}"` });
      owners.set(key, term.concept);
    }
  }
  return problems;
}
