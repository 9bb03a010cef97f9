/** Records answers and their feedback, so editors can see what the kit fails to answer. */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Redis } from "ioredis";
import type { Lang } from "../shared/lang.js";
import type { Citation } from "./reply.js";

export interface AnswerRecord {
  answerId: string;
  question: string;
  lang: Lang;
  answered: boolean;
  /** Ids of the cited documents. */
  sources: string[];
  /** The citations in full, for a later "sources" request on this very answer. */
  citations?: Citation[];
  channel: string;
  at: number;
}

export interface FeedbackRecord {
  answerId: string;
  useful: boolean;
  comment?: string;
  channel: string;
  at: number;
}

export type RecordedAnswer = AnswerRecord & { feedback?: FeedbackRecord };

export interface InsightStore {
  recordAnswer(record: AnswerRecord): Promise<void>;
  /** false when the answer is unknown (expired or never recorded): the feedback is not kept. */
  recordFeedback(feedback: FeedbackRecord): Promise<boolean>;
  getAnswer(answerId: string): Promise<RecordedAnswer | undefined>;
  answersSince(since: number): Promise<RecordedAnswer[]>;
}

const RETENTION_SECONDS = 400 * 24 * 3600;

/** Answers and feedback in Redis, shared by every instance and kept for about 400 days. */
export class RedisInsightStore implements InsightStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "terrinclus:",
  ) {}

  async recordAnswer(record: AnswerRecord): Promise<void> {
    await this.redis.multi().set(`${this.prefix}answer:${record.answerId}`, JSON.stringify(record), "EX", RETENTION_SECONDS).zadd(`${this.prefix}answers`, record.at, record.answerId).exec();
  }

  async recordFeedback(feedback: FeedbackRecord): Promise<boolean> {
    if (!(await this.redis.exists(`${this.prefix}answer:${feedback.answerId}`))) return false;
    await this.redis.set(`${this.prefix}feedback:${feedback.answerId}`, JSON.stringify(feedback), "EX", RETENTION_SECONDS);
    return true;
  }

  async getAnswer(answerId: string): Promise<RecordedAnswer | undefined> {
    const [answer, feedback] = await this.redis.mget(`${this.prefix}answer:${answerId}`, `${this.prefix}feedback:${answerId}`);
    if (!answer) return undefined;
    return { ...(JSON.parse(answer) as AnswerRecord), ...(feedback ? { feedback: JSON.parse(feedback) as FeedbackRecord } : {}) };
  }

  async answersSince(since: number): Promise<RecordedAnswer[]> {
    await this.redis.zremrangebyscore(`${this.prefix}answers`, "-inf", Date.now() - RETENTION_SECONDS * 1000);
    const ids = await this.redis.zrangebyscore(`${this.prefix}answers`, since, "+inf");
    const out: RecordedAnswer[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const answers = await this.redis.mget(batch.map((id) => `${this.prefix}answer:${id}`));
      const feedback = await this.redis.mget(batch.map((id) => `${this.prefix}feedback:${id}`));
      answers.forEach((a, j) => {
        if (a) out.push({ ...(JSON.parse(a) as AnswerRecord), ...(feedback[j] ? { feedback: JSON.parse(feedback[j]!) as FeedbackRecord } : {}) });
      });
    }
    return out;
  }
}

/** Append-only JSON-lines files, for a console without Redis. */
export class FileInsightStore implements InsightStore {
  constructor(private readonly dir: string) {}

  private file(name: "answers" | "feedback"): string {
    return path.join(this.dir, `${name}.jsonl`);
  }

  private async append(name: "answers" | "feedback", record: object): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file(name), `${JSON.stringify(record)}\n`);
  }

  private async read<T>(name: "answers" | "feedback"): Promise<T[]> {
    try {
      return (await readFile(this.file(name), "utf8"))
        .split("\n")
        .filter(Boolean)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as T];
          } catch {
            return [];
          }
        });
    } catch {
      return [];
    }
  }

  async recordAnswer(record: AnswerRecord): Promise<void> {
    await this.append("answers", record);
  }

  async recordFeedback(feedback: FeedbackRecord): Promise<boolean> {
    if (!(await this.getAnswer(feedback.answerId))) return false;
    await this.append("feedback", feedback);
    return true;
  }

  async getAnswer(answerId: string): Promise<RecordedAnswer | undefined> {
    return (await this.answersSince(0)).find((a) => a.answerId === answerId);
  }

  async answersSince(since: number): Promise<RecordedAnswer[]> {
    const feedback = new Map((await this.read<FeedbackRecord>("feedback")).map((f) => [f.answerId, f]));
    return (await this.read<AnswerRecord>("answers")).filter((a) => a.at >= since).map((a) => ({ ...a, ...(feedback.has(a.answerId) ? { feedback: feedback.get(a.answerId)! } : {}) }));
  }
}
