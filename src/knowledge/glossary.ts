/** The bilingual glossary: concepts with their French and English wordings. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { firstLine, schemaError, type DocumentError } from "./document.js";
import { GlossarySchema, type Glossary } from "./schema.js";

export const GLOSSARY_FILE = "glossary.yaml";

/** Loads `glossary.yaml` from the knowledge directory; a missing glossary is an empty one. */
export async function loadGlossary(dir: string): Promise<Glossary | DocumentError> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, GLOSSARY_FILE), "utf8");
  } catch {
    return { id: "glossaire", kind: "glossary", title: "", basis: ["practice"], sources: [{ title: "none", note: "no glossary" }], terms: [] };
  }
  let data: unknown;
  try {
    data = YAML.parse(raw, { prettyErrors: true });
  } catch (error) {
    return { path: GLOSSARY_FILE, message: `invalid YAML: ${firstLine((error as Error).message)}` };
  }
  const result = GlossarySchema.safeParse(data);
  return result.success ? result.data : schemaError(GLOSSARY_FILE, result.error, "(root)");
}

/** Whether `loadGlossary` returned a glossary rather than an error. */
export function isGlossary(value: Glossary | DocumentError): value is Glossary {
  return "terms" in value;
}
