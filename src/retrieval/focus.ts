/**
 * What a chat message asks, apart from how it is said: greetings, politeness, self-introductions and
 * "I would like to know" never count against a question. Matching is accent-insensitive.
 */
import { fold } from "../shared/text.js";

export interface Focus {
  /**
   * The message without greetings, politeness, meta phrases and self-introductions ("je suis chargée de
   * mission au…"): what retrieval searches and what decides whether the kit covers it.
   */
  topic: string;
  /** The clause that asks (the last one with a question mark, else the last sentence). */
  question: string;
}

const GREETING = String.raw`(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|dear \w+|good (?:morning|afternoon|evening)|greetings)(?: (?:a tous|a toutes|tout le monde|everyone|all|there|team|l'equipe))?`;
const POLITENESS = String.raw`(?:s'?il vous plait|s'?il te plait|svp|stp|merci(?: beaucoup| d'avance| par avance| pour votre aide)?|thanks?(?: you)?(?: in advance| a lot| for your help)?|please|cordialement|bonne journee|best regards|regards|cheers)`;
/** Phrases that announce a question without being part of it. */
const META = String.raw`(?:(?:et )?(?:(?:je|on|nous|il|elle) |j')?(?:voudr|aimer|souhait|cherch)\w* (?:a )?(?:savoir|comprendre|connaitre|avoir (?:des|une) (?:infos?|informations?|idee|conseils?|avis))|(?:je|on) (?:me|se) (?:demande|demandais|pose la question)|(?:pouvez|pourriez)[- ]vous (?:me dire|m'expliquer|m'aider|nous dire|nous aider|m'eclairer)|(?:tu|vous) (?:sais|savez|aurais|auriez)|ma question (?:est|c'est|serait)|question ?:|(?:i|we)(?:'d| would) (?:like|love) to (?:know|understand)|(?:i|we) (?:am|are|was|were)? ?wondering|(?:can|could) you (?:tell|explain|help)(?: me| us)?|(?:do|would) you (?:know|have)|my question is|quick question|i have a question|(?:i|we) need (?:to know|advice|help))`;
/** A sentence that introduces the asker rather than the question. */
const INTRODUCTION = String.raw`^(?:je suis|je m'appelle|je travaille|je m'occupe|je viens d|je suis en charge|nous sommes une?|on est une?|moi c'est|i am|i'm|im|my name|i work|we are an?|we're an?|i've just|i just (?:joined|started)|i recently)\b`;

const greeting = new RegExp(`^\\W*${GREETING}\\b[\\s,!.:;-]*`);
const politeness = new RegExp(`(?:^|[\\s,])${POLITENESS}\\b[\\s,!.]*`, "g");
const meta = new RegExp(`\\b${META}\\b`, "g");
const introduction = new RegExp(INTRODUCTION);

/** A message's topic and asking clause, with its original accents; the whole message when nothing else is left. */
export function focus(message: string): Focus {
  const folded = foldKeepingLength(message);
  // Sentences, and a new segment wherever a meta phrase announces the question.
  const segments: Array<{ start: number; end: number }> = [];
  const cuts = new Set<number>([0, message.length]);
  for (const m of folded.matchAll(/[.!?;\n]+\s*/g)) cuts.add(m.index + m[0].length);
  for (const m of folded.matchAll(meta)) cuts.add(m.index);
  const sorted = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < sorted.length; i++) if (sorted[i + 1]! > sorted[i]!) segments.push({ start: sorted[i]!, end: sorted[i + 1]! });

  const kept: Array<{ text: string; intro: boolean; asks: boolean }> = [];
  for (const { start, end } of segments) {
    let f = folded.slice(start, end);
    let original = message.slice(start, end);
    const strip = (pattern: RegExp) => {
      // Blank out what matched, in both copies (same length), so the original keeps its accents.
      f = f.replace(pattern, (m) => " ".repeat(m.length));
      original = original
        .split("")
        .map((c, i) => (f[i] === " " && c !== " " ? " " : c))
        .join("");
    };
    strip(greeting);
    strip(politeness);
    strip(meta);
    const text = original
      .replace(/\s+/g, " ")
      .replace(/^[\s,;:-]+/, "")
      .trim();
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    kept.push({ text, intro: introduction.test(fold(text).replace(/^[^\p{L}]+/u, "")), asks: /\?/.test(original) });
  }
  const join = (list: typeof kept) =>
    list
      .map((s) => s.text)
      .join(" ")
      .trim();
  const topicSegments = kept.filter((s) => !s.intro);
  const asking = [...kept].reverse().find((s) => s.asks) ?? kept.at(-1);
  return {
    topic: join(topicSegments.length ? topicSegments : kept) || message.trim(),
    question: asking?.text ?? message.trim(),
  };
}

/**
 * Folds accents one UTF-16 unit at a time so that positions in the folded copy match the original,
 * emoji (two units each) included.
 */
function foldKeepingLength(text: string): string {
  return text
    .replace(/[\u0080-\uffff]/g, (c) => (/[’‘]/.test(c) ? "'" : (fold(c)[0] ?? c)))
    .replace(/`/g, "'")
    .toLowerCase();
}
