/** Coverage gaps: the most frequent unanswered or badly rated questions, similar ones grouped together. */
import type { Lang } from "../shared/lang.js";
import type { KnowledgeIndex } from "../retrieval/knowledge-index.js";
import { contentStems, words } from "../shared/text.js";
import type { RecordedAnswer } from "./insights.js";

/** Where an unanswered question should be added as a question the document answers (front matter `questions`). */
export interface QuestionHome {
  docId: string;
  lang: Lang;
  /** The file, relative to the knowledge directory. */
  path: string;
  section: string;
}

/** Share of the question the nearest document must cover to be proposed as its home. */
const HOME_COVERAGE = 0.3;

export interface GapGroup {
  count: number;
  refused: number;
  notUseful: number;
  /** The most recent wording, then up to four other distinct ones. */
  questions: string[];
  langs: string[];
  comments: string[];
  lastAt: number;
  /** The document and section nearest to the latest wording, or null when none is near (outside the kit, or a new sheet). */
  home?: QuestionHome | null;
}

/** Two questions belong together when they share this share of their content stems. */
const SIMILARITY = 0.5;

/** The refused or badly rated answers grouped by similar wording, most frequent first (then most recent); `home` is left unset. */
export function coverageGaps(answers: RecordedAnswer[]): GapGroup[] {
  const gaps = answers.filter((a) => !a.answered || a.feedback?.useful === false).sort((a, b) => b.at - a.at);
  const groups: Array<{ stems: Set<string>; wording: string; group: GapGroup }> = [];
  for (const answer of gaps) {
    const stems = new Set(contentStems(answer.question, answer.lang));
    // The same words always belong together, even without content words ("bonjour", "merci ?").
    const wording = words(answer.question).join(" ");
    const home = groups.find((g) => g.wording === wording || jaccard(g.stems, stems) >= SIMILARITY);
    const group = home?.group ?? { count: 0, refused: 0, notUseful: 0, questions: [], langs: [], comments: [], lastAt: answer.at };
    group.count++;
    if (!answer.answered) group.refused++;
    if (answer.feedback?.useful === false) group.notUseful++;
    if (!group.questions.includes(answer.question) && group.questions.length < 5) group.questions.push(answer.question);
    if (!group.langs.includes(answer.lang)) group.langs.push(answer.lang);
    if (answer.feedback?.comment) group.comments.push(answer.feedback.comment);
    if (!home) groups.push({ stems, wording, group });
  }
  return groups.map((g) => g.group).sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const x of b) if (a.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The nearest document and section to a question, in its language, when one covers enough of it. */
export async function questionHome(index: KnowledgeIndex, question: string, lang: Lang): Promise<QuestionHome | null> {
  const search = await index.search(question, { prefer: lang });
  const top = search.hits[0]?.chunk;
  if (!top || search.coverage < HOME_COVERAGE) return null;
  const file = index.manifest.files.find((f) => f.id === top.docId && f.lang === top.lang);
  return file ? { docId: top.docId, lang: top.lang, path: file.path, section: top.section } : null;
}
