/** Reads every plan file of the pilots directory and reports each fault with its file, milestone and field. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import YAML from "yaml";
import type { z } from "zod";
import { PlanSchema, type Plan } from "./plan.js";

/** One fault in a plan file. */
export interface PlanError {
  file: string;
  /** The milestone at fault (its id, or its position when it has no valid id). */
  milestone?: string;
  /** The field at fault (`timezone`, `due`, `sheet`, `channels.telegram.0`…). */
  field?: string;
  message: string;
}

export interface LoadedPlan {
  file: string;
  plan: Plan;
}

export interface PlansResult {
  plans: LoadedPlan[];
  errors: PlanError[];
}

/** "pilots/a.yaml: milestone copil-1, sheet: no kit sheet …" */
export function formatPlanError(error: PlanError): string {
  const where = [error.milestone ? `milestone ${error.milestone}` : undefined, error.field].filter(Boolean).join(", ");
  return `${error.file}: ${where ? `${where}: ` : ""}${error.message}`;
}

/** The plan files (`*.yaml`, `*.yml`) of `dir`, sorted; none when the directory does not exist. */
export async function listPlanFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return names
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Loads and validates every plan of `dir`. `sheets` is the set of kit sheet ids a milestone may name.
 * A bad file is left out of `plans` and described in `errors`; so is a pilot id used twice.
 */
export async function loadPlans(dir: string, sheets: ReadonlySet<string>): Promise<PlansResult> {
  const plans: LoadedPlan[] = [];
  const errors: PlanError[] = [];
  const seen = new Map<string, string>();
  for (const file of await listPlanFiles(dir)) {
    const result = parsePlan(await readFile(file, "utf8"), file, sheets);
    if ("errors" in result) {
      errors.push(...result.errors);
      continue;
    }
    const previous = seen.get(result.plan.id);
    if (previous) {
      errors.push({ file, field: "id", message: `pilot id "${result.plan.id}" is already used by ${previous}` });
      continue;
    }
    seen.set(result.plan.id, file);
    plans.push(result);
  }
  return { plans, errors };
}

/** Parses one plan file's text: the plan, or every fault found. */
export function parsePlan(text: string, file: string, sheets: ReadonlySet<string>): LoadedPlan | { errors: PlanError[] } {
  let data: unknown;
  try {
    data = YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    return { errors: [{ file, message: `invalid YAML: ${(error as Error).message.split("\n")[0]}` }] };
  }
  const parsed = PlanSchema.safeParse(data);
  if (!parsed.success) return { errors: zodErrors(file, parsed.error, data) };
  const plan = parsed.data;
  const errors: PlanError[] = [];
  const ids = new Set<string>();
  for (const m of plan.milestones) {
    if (ids.has(m.id)) errors.push({ file, milestone: m.id, field: "id", message: "this milestone id is used twice in the plan" });
    ids.add(m.id);
    if (!sheets.has(m.sheet)) errors.push({ file, milestone: m.id, field: "sheet", message: `no kit sheet "${m.sheet}" (known: ${[...sheets].sort().join(", ")})` });
    const due = DateTime.fromISO(m.due, { zone: plan.timezone });
    if (!due.isValid) errors.push({ file, milestone: m.id, field: "due", message: `invalid date "${m.due}": ${due.invalidExplanation ?? due.invalidReason}` });
  }
  return errors.length ? { errors } : { file, plan };
}

function zodErrors(file: string, error: z.ZodError, data: unknown): PlanError[] {
  return error.issues.map((issue) => {
    const [head, index, ...rest] = issue.path.map(String);
    if (head === "milestones" && index !== undefined && rest.length) {
      const raw = (data as { milestones?: Array<{ id?: unknown }> }).milestones?.[Number(index)];
      const id = typeof raw?.id === "string" && raw.id ? raw.id : `#${Number(index) + 1}`;
      return { file, milestone: id, field: rest.join("."), message: issue.message };
    }
    return { file, ...(issue.path.length ? { field: issue.path.join(".") } : {}), message: issue.message };
  });
}
