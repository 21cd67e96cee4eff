/**
 * Whether a model's text makes sense for what it was asked, beyond its shape: cheap,
 * deterministic word checks (no model, no network). Each returns the reason it refuses a text, or
 * null. A refused text is repaired or falls back to offline text like an invalid one, and the
 * run's `textReport.refusedTexts` counts the reasons.
 */
import { Refusal } from '../../entities/enums';

export { Refusal };

const ENGLISH_FUNCTION_WORDS = new Set(
  (
    'the a an and or but of to in on for with at by from it its is are was were be been this that these ' +
    'those i me my we our you your he she they them their not no so very as if than then too just all ' +
    'have has had do does did will would can could should after before about'
  ).split(' '),
);

const words = (text: string) => text.toLowerCase().match(/[\p{L}']+/gu) ?? [];

/** English: Latin letters, and at least one word in eight an English function word. */
export function language(text: string): Refusal | null {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /[a-z]/i.test(c)).length;
  if (letters.length && latin / letters.length < 0.9) return Refusal.LANGUAGE;
  const all = words(text);
  if (all.length < 8) return null;
  const english = all.filter((w) => ENGLISH_FUNCTION_WORDS.has(w)).length;
  return english / all.length < 1 / 8 ? Refusal.LANGUAGE : null;
}

/** Ends as a sentence does. */
export function finished(text: string): Refusal | null {
  return /[.!?…)"'”’]\s*$/u.test(text) ? null : Refusal.UNFINISHED;
}

/** Names at least one of `subject`'s words (3+ letters): the product's type, title or brand. */
export function onTopic(text: string, subject: readonly string[]): Refusal | null {
  const mentioned = new Set(words(text).map(stem));
  const named = subject
    .flatMap((s) => words(s))
    .filter((w) => w.length >= 3 && !ENGLISH_FUNCTION_WORDS.has(w));
  return named.length === 0 || named.some((w) => mentioned.has(stem(w))) ? null : Refusal.OFF_TOPIC;
}

/** Plural and singular read alike ("earbuds" names "earbud"). */
function stem(word: string): string {
  return word.replace(/(es|s)$/, '');
}

const POSITIVE = new Set(
  (
    'love loved loving great excellent perfect perfectly amazing awesome fantastic wonderful happy delighted ' +
    'recommend best superb impressed outstanding glad pleased brilliant favorite flawless sturdy ' +
    'reliable worth satisfied'
  ).split(' '),
);
const NEGATIVE = new Set(
  (
    'terrible awful horrible worst broke broken waste useless disappointed disappointing disappointment poor ' +
    'regret junk defective flimsy cheap garbage avoid hate hated angry frustrating frustrated unusable ' +
    'fails failed failure worse mediocre letdown bad'
  ).split(' '),
);
const NEGATIONS = new Set(
  "not no never hardly hard cannot isn't wasn't don't didn't doesn't can't won't nothing".split(' '),
);

/**
 * The text's mood by its words: positive minus negative, a word negated within its sentence (up to
 * three words before: "not really worth it", "hard to recommend") counting the other way.
 */
export function mood(text: string): number {
  let score = 0;
  for (const sentence of text.split(/[.!?;:]+/)) {
    const all = words(sentence);
    all.forEach((w, i) => {
      const sign = POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0;
      if (!sign) return;
      const negated = all.slice(Math.max(0, i - 3), i).some((x) => NEGATIONS.has(x));
      score += negated ? -sign : sign;
    });
  }
  return score;
}

/** A 4–5 star text may not read clearly negative, a 1–2 star text not clearly positive (3 stars: either). */
export function agreesWithStars(text: string, stars: number): Refusal | null {
  const m = mood(text);
  if (stars >= 4 && m <= -2) return Refusal.SENTIMENT;
  if (stars <= 2 && m >= 2) return Refusal.SENTIMENT;
  return null;
}

/** The first reason any check refuses `text` for, in the order given. */
export function firstRefusal(...checks: (Refusal | null)[]): Refusal | null {
  return checks.find((c) => c !== null) ?? null;
}
