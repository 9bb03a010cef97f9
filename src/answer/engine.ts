/** The assistant's core: questions in, replies out, with conversations, language and feedback. Knows no channel. */
import { randomBytes } from "node:crypto";
import type { Lang } from "../shared/lang.js";
import type { KnowledgeIndex, SearchResult } from "../retrieval/knowledge-index.js";
import { findSimilarProjects, type SimilarOptions, type SimilarResult } from "../retrieval/similar.js";
import { detectLanguage, languageEvidence } from "../shared/language.js";
import type { Logger } from "../shared/logger.js";
import type { ConversationStore, ConversationTurn } from "./conversation.js";
import { composeExtractive, composeSection, composeSections, documentSections, type Draft } from "./extractive.js";
import type { Source } from "../knowledge/schema.js";
import { carryTopic, isFollowUp, ownTopic } from "./follow-up.js";
import type { Generator } from "./generator.js";
import type { InsightStore, RecordedAnswer } from "./insights.js";
import { plain, type Citation, type Reply } from "./reply.js";
import { coverageGaps, questionHome, type GapGroup } from "./report.js";
import { wellFormed } from "../shared/text.js";
import { phrase } from "../shared/texts.js";
import { feedbackTotal, recordAnswer } from "../shared/metrics.js";

/** Each citation of an answer with every reference of its document. */
export type CitedSources = Array<{ citation: Citation; references: Source[] }>;

export interface AskInput {
  question: string;
  /** Chat, thread or session id; without one, the question stands alone. */
  conversationId?: string;
  /** Forces the reply language (e.g. `--lang`); otherwise the preferred language, else the question's own. */
  lang?: Lang;
  /** Where the question came from ("cli", "console", "telegram"…), for feedback reports. */
  channel: string;
}

export interface EngineDeps {
  index: KnowledgeIndex;
  conversations: ConversationStore;
  insights: InsightStore;
  generator?: Generator;
  logger?: Logger;
}

/** Longest question taken into account; chat users sometimes paste whole documents. */
const MAX_QUESTION_CHARS = 1000;

/** Answers questions from the index and serves what an answer's buttons ask for later (more, sections, sources, feedback). */
export class AnswerEngine {
  private readonly deps: EngineDeps;

  constructor(deps: EngineDeps) {
    this.deps = { ...deps };
  }

  /** Answers from now on come from `index` (a re-ingested knowledge base, reloaded without a restart). */
  useIndex(index: KnowledgeIndex): void {
    this.deps.index = index;
  }

  /** The reply to a question, recorded in its conversation, in the insights and in the metrics. */
  async ask(input: AskInput): Promise<Reply> {
    const started = performance.now();
    const reply = await this.answer(input);
    recordAnswer(input.channel, reply.lang, reply.answered, (performance.now() - started) / 1000);
    return reply;
  }

  private async answer(input: AskInput): Promise<Reply> {
    const question = wellFormed(input.question).replace(/\s+/g, " ").trim().slice(0, MAX_QUESTION_CHARS);
    // A conversation store that does not answer (Redis down) costs the conversation's memory, not the answer.
    const state = input.conversationId
      ? await this.deps.conversations.get(input.conversationId).catch((error: Error) => {
          this.deps.logger?.warn({ err: error.message }, "conversation unreadable: answering without its context");
          return undefined;
        })
      : undefined;
    const questionLang = detectLanguage(question, state?.preferredLang ?? "fr");
    const lang = input.lang ?? state?.preferredLang ?? questionLang;
    const answerId = newAnswerId();
    if (!question) return { ...emptyReply(lang), answerId, question };

    const previous = state?.turns.at(-1);
    const followUp = !!previous?.answered && isFollowUp(question, questionLang, this.deps.index.analyzer.analyze(question, questionLang).concepts.length > 0);
    let standalone = followUp ? await this.followUpQuery(previous!, question, questionLang) : question;
    // A follow-up keeps the conversation's document in view.
    const boostDocs = followUp && standalone !== question ? previous!.docIds.slice(0, 1) : [];
    // Without evidence of a language in the text ("partner diagnosis"), the analyzer lets the glossary decide.
    const searchFor = (text: string) => this.deps.index.search(text, { lang: languageEvidence(text), prefer: lang, boostDocs });
    let search = await searchFor(standalone);
    // With a model, a follow-up or a message the words alone do not settle is rewritten in the kit's terms and searched again.
    if (this.deps.generator && (followUp || !search.answered || search.partial)) {
      const rewritten = await this.deps.generator.rewrite(followUp ? state!.turns : [], question, questionLang).catch((error: Error) => {
        this.deps.logger?.warn({ err: error.message }, "language model could not rewrite the question");
        return undefined;
      });
      if (rewritten && rewritten !== question) {
        standalone = rewritten;
        search = await searchFor(rewritten);
      }
    }
    const draft = await this.compose(search, question, lang);
    const reply: Reply = { ...draft, answerId };

    if (input.conversationId) {
      const turn = { question, standalone, answerId, lang, answered: reply.answered, docIds: reply.citations.map((c) => c.id), at: Date.now() };
      await this.deps.conversations.addTurn(input.conversationId, turn, reply.citations).catch((error: Error) => this.deps.logger?.warn({ err: error.message }, "conversation not updated"));
    }
    await this.deps.insights
      .recordAnswer({ answerId, question, lang, answered: reply.answered, sources: reply.citations.map((c) => c.id), citations: reply.citations, channel: input.channel, at: Date.now() })
      .catch((error: Error) => this.deps.logger?.warn({ err: error.message }, "could not record answer"));
    return reply;
  }

  /**
   * A follow-up is read in the previous answer's topic, unless its own words name another topic the kit
   * covers ("et pour le financer ?" after a question on governance goes to funding).
   */
  private async followUpQuery(previous: ConversationTurn, question: string, lang: Lang): Promise<string> {
    const own = ownTopic(question, lang);
    // Only a kit concept of its own (funding, convention…) can move the conversation to another document;
    // without one, no second search is needed.
    if (own && this.deps.index.analyzer.analyze(own, lang).concepts.length) {
      const alone = await this.deps.index.search(own, { lang });
      const top = alone.hits[0]?.chunk.docId;
      if (alone.answered && !alone.partial && top && !previous.docIds.slice(0, 2).includes(top)) return question;
    }
    return carryTopic(previous.standalone, question);
  }

  /**
   * The reply to `question`, from passages retrieved for its standalone form (`search.query`). With a model,
   * the model decides from the passages whether the kit answers (NO_ANSWER), not the lexical threshold.
   */
  private async compose(search: SearchResult, question: string, lang: Lang): Promise<Draft> {
    // The question's own words decide the kind of answer ("et qui…?" asks who); the model gets the standalone form.
    const extractive = composeExtractive(this.deps.index, { ...search, query: question, lang });
    if (!this.deps.generator || !search.hits.length) return extractive;
    try {
      const generated = await this.deps.generator.answer({ ...search, lang }, lang);
      return { ...generated, question, ...(generated.answered ? { suggestions: extractive.suggestions } : {}) };
    } catch (error) {
      this.deps.logger?.warn({ err: (error as Error).message }, "language model failed; extractive answer instead");
      return extractive.answered ? { ...extractive, notes: [phrase("modelFallback", lang), ...extractive.notes] } : extractive;
    }
  }

  /** The rest of an answer: the sections it quoted, whole. Undefined when the answer is unknown or quoted nothing. */
  async more(answerId: string): Promise<Reply | undefined> {
    const record = await this.deps.insights.getAnswer(answerId);
    const cited = record?.citations ?? [];
    const refs = cited.filter((c, i) => cited.findIndex((d) => d.id === c.id && d.lang === c.lang && d.section === c.section) === i);
    const draft =
      record &&
      composeSections(
        this.deps.index,
        refs.map((c) => ({ id: c.id, lang: c.lang, section: c.section })),
        record.lang,
      );
    return draft && { ...draft, answerId };
  }

  /** Another section of the document an answer is mainly drawn from (`index` as in its `section` actions). */
  async section(answerId: string, index: number): Promise<Reply | undefined> {
    const record = await this.deps.insights.getAnswer(answerId);
    const main = record?.citations?.[0];
    if (!record || !main) return undefined;
    const section = documentSections(this.deps.index, main.id, main.lang)[index];
    const draft = section === undefined ? undefined : composeSection(this.deps.index, main.id, main.lang, section, record.lang);
    return draft && { ...draft, answerId };
  }

  /** The full references of the documents an answer cites, per citation; undefined when the answer is unknown. */
  async sources(answerId: string): Promise<CitedSources | undefined> {
    const record = await this.deps.insights.getAnswer(answerId);
    return record && this.withReferences(record.citations ?? []);
  }

  /** The full references of the conversation's last answer. */
  async lastSources(conversationId: string): Promise<CitedSources> {
    return this.withReferences((await this.deps.conversations.get(conversationId)).lastCitations);
  }

  private withReferences(citations: Citation[]): CitedSources {
    return citations.map((citation) => ({ citation, references: this.deps.index.documentSources(citation.id, citation.lang) }));
  }

  /** Unanswered or badly rated questions since a time, grouped, each group with where it should be answered. */
  async coverageGaps(since: number): Promise<{ answers: number; groups: GapGroup[] }> {
    const answers = await this.deps.insights.answersSince(since);
    const groups = coverageGaps(answers);
    for (const group of groups) group.home = await questionHome(this.deps.index, group.questions[0]!, group.langs[0] as Lang);
    return { answers: answers.length, groups };
  }

  /** The documented cooperations nearest to a description, best first. */
  async similar(query: string, options: SimilarOptions = {}): Promise<SimilarResult> {
    return findSimilarProjects(this.deps.index, wellFormed(query), options);
  }

  /** Records useful / not useful; false when the answer is unknown. */
  async feedback(answerId: string, useful: boolean, channel: string, comment?: string): Promise<boolean> {
    const known = await this.deps.insights.recordFeedback({ answerId, useful, channel, at: Date.now(), ...(comment ? { comment: comment.slice(0, 1000) } : {}) });
    if (known) feedbackTotal.inc({ channel, rating: useful ? "useful" : "not_useful" });
    return known;
  }

  /** A recorded answer (question, language, citations), for buttons pressed after the fact. */
  async answerRecord(answerId: string): Promise<RecordedAnswer | undefined> {
    return this.deps.insights.getAnswer(answerId);
  }

  /** Sets the conversation's reply language (`/lang`), or clears it with undefined. */
  async setLanguage(conversationId: string, lang: Lang | undefined): Promise<void> {
    await this.deps.conversations.setLanguage(conversationId, lang);
  }

  async preferredLanguage(conversationId: string): Promise<Lang | undefined> {
    return (await this.deps.conversations.get(conversationId)).preferredLang;
  }

  /** The citations of the conversation's last answer, without their references. */
  async lastCitations(conversationId: string): Promise<Citation[]> {
    return (await this.deps.conversations.get(conversationId)).lastCitations;
  }
}

function emptyReply(lang: Lang): Omit<Reply, "answerId" | "question"> {
  return { lang, answered: false, mode: "refusal", lead: plain(phrase("emptyQuestion", lang)), leadCites: [], body: [], citations: [], sources: [], suggestions: [], actions: [], notes: [] };
}

/** Short, URL- and callback-safe ids (10 characters). */
function newAnswerId(): string {
  return randomBytes(8).toString("base64url").slice(0, 10);
}
