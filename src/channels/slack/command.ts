/**
 * The text of `/terrinclus`, parsed with zod: help, language, similar projects, the channel's milestones, done or
 * snooze a milestone, or a question. `done` and `snooze` take whatever follows (checked by the reminders' own
 * schema, so a wrong argument gets a clear message); their French aliases `fait` and `reporter` only with at most
 * one and two words after them, so that a question such as "fait-on un diagnostic avec le partenaire ?" stays a question.
 */
import { z } from "zod";
import { LangSchema } from "../../shared/lang.js";

const SlashCommandSchema = z.union([
  z
    .string()
    .regex(/^\s*(help|aide|\?)?\s*$/i)
    .transform(() => ({ kind: "help" as const })),
  z
    .string()
    .regex(/^\s*lang(ue)?\b/i)
    .transform((t) => {
      const wanted = LangSchema.safeParse(
        t
          .replace(/^\s*lang(ue)?\b/i, "")
          .trim()
          .toLowerCase(),
      );
      return { kind: "lang" as const, lang: wanted.success ? wanted.data : undefined };
    }),
  z
    .string()
    .regex(/^\s*(similar|similaires?)\b/i)
    .transform((t) => ({ kind: "similar" as const, description: t.replace(/^\s*(similar|similaires?)\b/i, "").trim() })),
  z
    .string()
    .regex(/^\s*(milestones?|jalons?)\s*$/i)
    .transform(() => ({ kind: "milestones" as const })),
  z
    .string()
    .regex(/^\s*(done(?=\s|$)|fait(\s+\S+)?\s*$)/i)
    .transform((t) => ({ kind: "done" as const, args: argumentsAfter(t, /^(done|fait)/i) })),
  z
    .string()
    .regex(/^\s*(snooze(?=\s|$)|reporter(\s+\S+){0,2}\s*$)/i)
    .transform((t) => ({ kind: "snooze" as const, args: argumentsAfter(t, /^(snooze|reporter)/i) })),
  z.string().transform((t) => ({ kind: "ask" as const, question: t.trim() })),
]);
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/** What a `/terrinclus …` text asks for (the text already decoded from Slack's encoding). */
export function parseSlashCommand(text: string): SlashCommand {
  return SlashCommandSchema.parse(text);
}

/** What follows a subcommand's verb ("done copil-1" → "copil-1"). */
function argumentsAfter(text: string, verb: RegExp): string {
  return text.trim().replace(verb, "").trim();
}
