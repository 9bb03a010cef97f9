/**
 * `pilots new`: a plan for a team to edit, from the plan template kept with the knowledge base
 * (knowledge/templates/pilot-plan.yaml). Dates follow only what the kit's calendar sheet states; a step it
 * gives no duration for is dated at the start (or the end) with a comment saying the date is a proposal.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import YAML from "yaml";
import { z } from "zod";
import { SLUG, type Lang } from "./plan.js";

const TEMPLATE_FILE = path.join("templates", "pilot-plan.yaml");

const TemplateMilestoneSchema = z.strictObject({
  id: z.string().regex(SLUG),
  sheet: z.string().min(1),
  when: z.enum(["start", "yearly", "midpoint", "end"]),
  proposal: z.boolean().default(false),
  title: z.strictObject({ fr: z.string().min(1), en: z.string().min(1) }),
});

const PlanTemplateSchema = z.strictObject({
  source: z.string().min(1),
  milestones: z.array(TemplateMilestoneSchema).min(1),
});
export type PlanTemplate = z.infer<typeof PlanTemplateSchema>;

/** Reads and validates the template; `sheets` are the kit sheet ids its milestones may name. */
export async function loadPlanTemplate(knowledgeDir: string, sheets: ReadonlySet<string>): Promise<PlanTemplate> {
  const file = path.join(knowledgeDir, TEMPLATE_FILE);
  const parsed = PlanTemplateSchema.safeParse(YAML.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const unknown = [parsed.data.source, ...parsed.data.milestones.map((m) => m.sheet)].filter((id) => !sheets.has(id));
  if (unknown.length) throw new Error(`${file}: no kit sheet ${unknown.map((s) => `"${s}"`).join(", ")}`);
  return parsed.data;
}

export interface NewPlanOptions {
  id: string;
  /** First day of the project, yyyy-mm-dd. */
  start: string;
  months: number;
  timezone: string;
  lang: Lang;
}

const COMMENTS = {
  fr: {
    header: (o: NewPlanOptions) => `Plan du pilote ${o.id}, à compléter par l'équipe. Début ${o.start}, durée ${o.months} mois.`,
    source: "Phases et jalons de la fiche du kit « calendrier-projet » ; `terrinclus pilots check` valide ce fichier.",
    channels: "Ajoutez les identifiants des discussions Telegram et des canaux Slack de l'équipe.",
    proposal: (when: string) => `date proposée, à fixer : le kit ne donne pas de durée pour cette étape (placée ${when === "end" ? "à la fin" : "au début"} du projet)`,
    yearly: (n: number) => `${n}${n === 1 ? "er" : "e"} anniversaire du début : rapport annuel`,
    midpoint: "mi-parcours du projet",
    end: "fin du projet",
    name: (id: string) => `Pilote ${id}`,
  },
  en: {
    header: (o: NewPlanOptions) => `Plan of pilot ${o.id}, for the team to complete. Starts ${o.start}, lasts ${o.months} months.`,
    source: "Phases and milestones of the kit's calendar sheet (calendrier-projet); `terrinclus pilots check` validates this file.",
    channels: "Add the team's Telegram chat ids and Slack channel ids.",
    proposal: (when: string) => `proposed date, to be set: the kit gives no duration for this step (placed at the ${when === "end" ? "end" : "start"} of the project)`,
    yearly: (n: number) => `anniversary ${n} of the start: yearly report`,
    midpoint: "half-way through the project",
    end: "end of the project",
    name: (id: string) => `Pilot ${id}`,
  },
} as const;

interface PlannedMilestone {
  id: string;
  title: string;
  due: string;
  sheet: string;
  comment: string;
}

/** The milestones of a new plan with their dates. */
export function plannedMilestones(template: PlanTemplate, options: NewPlanOptions): PlannedMilestone[] {
  const start = DateTime.fromISO(options.start, { zone: options.timezone });
  if (!start.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(options.start)) throw new Error(`--start must be a date (yyyy-mm-dd), got "${options.start}"`);
  const end = start.plus({ months: options.months });
  const midpoint = start.plus({ days: Math.floor(end.diff(start, "days").days / 2) });
  const t = COMMENTS[options.lang];
  const day = (d: DateTime) => d.toISODate()!;
  const out: PlannedMilestone[] = [];
  for (const m of template.milestones) {
    const base = { title: m.title[options.lang], sheet: m.sheet };
    if (m.when === "yearly") {
      for (let year = 1; year * 12 < options.months; year++) out.push({ ...base, id: `${m.id}-${year}`, due: day(start.plus({ years: year })), comment: t.yearly(year) });
      continue;
    }
    const date = m.when === "start" ? start : m.when === "end" ? end : midpoint;
    const comment = m.proposal ? t.proposal(m.when) : m.when === "midpoint" ? t.midpoint : m.when === "end" ? t.end : "";
    out.push({ ...base, id: m.id, due: day(date), comment });
  }
  return out;
}

/** The YAML text of a new plan (the plan-file contract), with comments for the team. */
export function renderNewPlan(template: PlanTemplate, options: NewPlanOptions): string {
  const t = COMMENTS[options.lang];
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `# ${t.header(options)}`,
    `# ${t.source}`,
    `id: ${options.id}`,
    `name: ${q(t.name(options.id))}`,
    `timezone: ${options.timezone}`,
    `lang: ${options.lang}`,
    `# ${t.channels}`,
    "channels:",
    "  telegram: []",
    "  slack: []",
    "remind: [P14D, P7D, P1D, P0D]",
    "milestones:",
  ];
  for (const m of plannedMilestones(template, options)) {
    lines.push(`  - id: ${m.id}`, `    title: ${q(m.title)}`, `    due: ${m.due}${m.comment ? `    # ${m.comment}` : ""}`, `    sheet: ${m.sheet}`);
  }
  return `${lines.join("\n")}\n`;
}
