/** A small knowledge directory written to a temp dir: two bilingual sheets and one French-only sheet. */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

interface Sheet {
  id: string;
  lang: "fr" | "en";
  title: string;
  summary: string;
  body: string;
  keywords?: string[];
}

export function sheet(s: Sheet): string {
  return [
    "---",
    `id: ${s.id}`,
    `lang: ${s.lang}`,
    "kind: kit",
    `title: ${JSON.stringify(s.title)}`,
    `summary: ${JSON.stringify(s.summary)}`,
    "basis: [terrinclus]",
    "sources:",
    '  - title: "Test source"',
    '    note: "Written for the tests."',
    `keywords: [${(s.keywords ?? []).map((k) => JSON.stringify(k)).join(", ")}]`,
    "---",
    "",
    `# ${s.title}`,
    "",
    s.body.trim(),
    "",
  ].join("\n");
}

export const SHEETS: Record<string, Sheet> = {
  "kit/comite.fr.md": {
    id: "comite",
    lang: "fr",
    title: "Installer le comité de pilotage de la coopération",
    summary: "Comment installer et faire vivre le comité de pilotage d'une coopération décentralisée entre deux collectivités.",
    keywords: ["comité de pilotage", "gouvernance"],
    body: `
## En bref

Le comité de pilotage réunit les élus et les services des deux collectivités partenaires une fois par an pour décider des orientations.

## Étapes

1. Désigner les membres du comité de pilotage dans chaque collectivité.
2. Fixer le calendrier des réunions annuelles du comité.
3. Rédiger le relevé de décisions après chaque réunion.

## Points de vigilance

- Un comité de pilotage sans élus ne décide rien.
- Un relevé de décisions non partagé laisse le partenaire de côté.
`,
  },
  "kit/comite.en.md": {
    id: "comite",
    lang: "en",
    title: "Setting up the steering committee of the cooperation",
    summary: "How to set up and run the steering committee of a decentralised cooperation between two local authorities.",
    keywords: ["steering committee", "governance"],
    body: `
## In short

The steering committee brings together the elected members and departments of both partner authorities once a year to decide on the orientations.

## Steps

1. Appoint the members of the steering committee in each authority.
2. Set the calendar of the committee's yearly meetings.
3. Write the record of decisions after each meeting.

## Pitfalls

- A steering committee without elected members decides nothing.
- A record of decisions that is not shared leaves the partner aside.
`,
  },
  "kit/evaluation.fr.md": {
    id: "evaluation",
    lang: "fr",
    title: "Évaluer une coopération décentralisée",
    summary: "Comment préparer l'évaluation finale d'une coopération décentralisée avec des indicateurs partagés.",
    keywords: ["évaluation", "indicateurs"],
    body: `
## En bref

L'évaluation finale mesure les effets de la coopération à partir de la situation de référence et des indicateurs choisis avec le partenaire.

## Étapes

1. Rédiger les termes de référence de l'évaluation.
2. Choisir l'évaluateur avec le partenaire.
3. Restituer les conclusions aux deux territoires.
`,
  },
  "kit/evaluation.en.md": {
    id: "evaluation",
    lang: "en",
    title: "Evaluating a decentralised cooperation",
    summary: "How to prepare the final evaluation of a decentralised cooperation with shared indicators.",
    keywords: ["evaluation", "indicators"],
    body: `
## In short

The final evaluation measures the effects of the cooperation against the baseline and the indicators chosen with the partner.

## Steps

1. Write the terms of reference of the evaluation.
2. Choose the evaluator together with the partner.
3. Report the conclusions to both territories.
`,
  },
  // Exists in French only.
  "kit/microcredit.fr.md": {
    id: "microcredit",
    lang: "fr",
    title: "Le fonds de microcrédit Tambacounda",
    summary: "Le fonds de microcrédit Tambacounda soutient les coopératives de femmes par des prêts solidaires remboursables.",
    keywords: ["microcrédit", "Tambacounda"],
    body: `
## En bref

Le fonds de microcrédit Tambacounda accorde des prêts solidaires aux coopératives de femmes maraîchères ; les remboursements alimentent de nouveaux prêts.

## Fonctionnement du fonds

- Les coopératives déposent un dossier auprès du comité de crédit Tambacounda.
- Le prêt solidaire est remboursé en douze mois.
`,
  },
};

/** Writes the sheets (or the given subset) into a new temp knowledge directory. */
export async function writeKnowledge(files: Record<string, Sheet> = SHEETS): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-knowledge-"));
  for (const [rel, s] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), sheet(s));
  }
  return dir;
}
