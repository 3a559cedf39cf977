// Robustness probes' perturbations: each kind turns one input text into a variant in a way a user's real inputs
// also vary (typos, casing, whitespace, reordered clauses, truncation, a distractor sentence, unusual length, rare
// tokens). Pure and seeded: a variant depends only on (seed, kind, row key, text), so a recorded probe is reproduced.
import { PerturbationKind } from '../../../shared/contract/robustness';
import { Rng } from '../../eval';

export { PerturbationKind };

/** Irrelevant but plausible sentences a distractor variant adds (never about the task's labels). */
export const DISTRACTORS: readonly string[] = [
  'By the way, the weather here has been lovely this week.',
  'I am writing this from my phone, sorry for any mistakes.',
  'My colleague Sam says hello.',
  'This is unrelated, but our office moves to the third floor next month.',
  'Thanks in advance, and have a nice weekend.',
  'PS: I read your newsletter every month.',
];

/** Latin letters and the Cyrillic/Greek letters that look the same: rare tokens for a tokenizer trained on Latin text. */
export const HOMOGLYPHS: Readonly<Record<string, string>> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  i: '\u0456',
  o: '\u043e',
  p: '\u0440',
  x: '\u0445',
  y: '\u0443',
  A: '\u0391',
  B: '\u0392',
  E: '\u0395',
  O: '\u039f',
};

/** How many times a 'long' variant repeats its text. */
export const LONG_REPEATS = 3;

const WORD = /\S+/g;

/** fmix32 of a string (FNV-1a then MurmurHash3's finaliser): the PRNG stream of one (kind, row). */
export function streamOf(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The variant of `text` of one kind, drawn from the stream of (seed, kind, rowKey). */
export function perturb(kind: PerturbationKind, text: string, seed: number, rowKey: string): string {
  const rng = new Rng(seed, streamOf(`${kind}\u0000${rowKey}`));
  return PERTURB[kind](text, rng);
}

const PERTURB: Record<PerturbationKind, (text: string, rng: Rng) => string> = {
  typos,
  casing,
  whitespace,
  reorder,
  truncate,
  distractor,
  long: (text) => Array.from({ length: LONG_REPEATS }, () => text).join(' '),
  rare,
};

/** Swaps two neighbouring letters inside about one in five words of four letters or more (at least one word). */
function typos(text: string, rng: Rng): string {
  return mapSomeWords(
    text,
    rng,
    0.2,
    (w) => /[A-Za-z]{4,}/.test(w),
    (w) => {
      const letters = [...w].map((c, i) => (/[A-Za-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
      // Neighbouring letter pairs that differ, so the swap is visible.
      const pairs = letters.filter((i, k) => letters[k + 1] === i + 1 && w[i] !== w[i + 1]);
      if (pairs.length === 0) return w;
      const i = pairs[rng.nextInt(pairs.length)] as number;
      return w.slice(0, i) + (w[i + 1] as string) + (w[i] as string) + w.slice(i + 2);
    },
  );
}

/** All upper case, all lower case, or each word's case flipped (one, drawn); falls back to another if unchanged. */
function casing(text: string, rng: Rng): string {
  const styles = [
    (t: string) => t.toUpperCase(),
    (t: string) => t.toLowerCase(),
    (t: string) => [...t].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  ];
  const first = rng.nextInt(styles.length);
  for (let k = 0; k < styles.length; k++) {
    const out = (styles[(first + k) % styles.length] as (t: string) => string)(text);
    if (out !== text) return out;
  }
  return text;
}

/** Extra spaces, tabs and line breaks between words and around the text; the words are untouched. */
function whitespace(text: string, rng: Rng): string {
  const gaps = ['  ', '   ', '\t', '\n', ' \n ', '\n\n'];
  const pick = () => gaps[rng.nextInt(gaps.length)] as string;
  const words = text.match(WORD) ?? [];
  if (words.length === 0) return `${text}${pick()}`;
  return `${pick()}${words.map((w, i) => (i === 0 ? w : (rng.nextFloat() < 0.5 ? pick() : ' ') + w)).join('')}${pick()}`;
}

/**
 * A paraphrase-like reordering: the sentences in another order (two or more sentences), else the two halves of the
 * text around a comma or "and" swapped, else the words of the second half moved to the front. Same words, new order.
 */
function reorder(text: string, rng: Rng): string {
  const sentences =
    text
      .match(/[^.!?]+[.!?]+\s*|[^.!?]+$/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? [];
  if (sentences.length >= 2) {
    const shifted = 1 + rng.nextInt(sentences.length - 1);
    return [...sentences.slice(shifted), ...sentences.slice(0, shifted)].join(' ');
  }
  const words = text.trim().split(/\s+/);
  if (words.length < 2) return text;
  const joints = words.map((w, i) => (i > 0 && (w === 'and' || (words[i - 1] as string).endsWith(',')) ? i : -1));
  const candidates = joints.filter((i) => i > 0);
  const at =
    candidates.length > 0 ? (candidates[rng.nextInt(candidates.length)] as number) : Math.ceil(words.length / 2);
  return [...words.slice(at), ...words.slice(0, at)].join(' ');
}

/** A prefix of 40-80% of the words (at least one word dropped when there are two or more). */
function truncate(text: string, rng: Rng): string {
  const words = text.trim().split(/\s+/);
  if (words.length < 2) return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  const keep = Math.min(words.length - 1, Math.max(1, Math.round(words.length * (0.4 + 0.4 * rng.nextFloat()))));
  return words.slice(0, keep).join(' ');
}

/** One sentence of DISTRACTORS before or after the text, which is kept whole. */
function distractor(text: string, rng: Rng): string {
  const sentence = DISTRACTORS[rng.nextInt(DISTRACTORS.length)] as string;
  return rng.nextFloat() < 0.5 ? `${sentence} ${text}` : `${text} ${sentence}`;
}

/** About one in three words of three letters or more written with look-alike letters of other scripts (HOMOGLYPHS). */
function rare(text: string, rng: Rng): string {
  return mapSomeWords(
    text,
    rng,
    1 / 3,
    (w) => /[A-Za-z]{3,}/.test(w) && [...w].some((c) => HOMOGLYPHS[c] !== undefined),
    (w) => [...w].map((c) => HOMOGLYPHS[c] ?? c).join(''),
  );
}

/** Applies `change` to each eligible word with probability p; when none was drawn, to one eligible word. */
function mapSomeWords(
  text: string,
  rng: Rng,
  p: number,
  eligible: (word: string) => boolean,
  change: (word: string) => string,
): string {
  const spans = [...text.matchAll(WORD)].map((m) => ({ start: m.index, word: m[0] }));
  const candidates = spans.filter((s) => eligible(s.word));
  if (candidates.length === 0) return text;
  let chosen = candidates.filter(() => rng.nextFloat() < p);
  if (chosen.length === 0) chosen = [candidates[rng.nextInt(candidates.length)] as (typeof candidates)[number]];
  let out = '';
  let at = 0;
  for (const s of chosen) {
    out += text.slice(at, s.start) + change(s.word);
    at = s.start + s.word.length;
  }
  return out + text.slice(at);
}
